import TelemetryPipeline

extension FuzzTarget {
    /// The pipeline's configuration file, text as `PipelineConfiguration.load(path:)` reads it;
    /// the error is rendered as the daemon prints it (with its did-you-mean suggestions).
    static let pipelineYAML = FuzzTarget(name: "pipeline-yaml", summary: "PipelineConfiguration.parse(yaml:file:environment:)") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            _ = try PipelineConfiguration.parse(yaml: text, file: "fuzz.yaml", environment: ["PORT": "4318", "HOST": "127.0.0.1"])
        } catch {
            _ = String(describing: error)
        }
    }
}
