import OTLPGRPC
import Testing

@testable import TelemetryPipeline

/// The Collector's `otlp` exporter (OTLP/gRPC): its keys, defaults and refusals.
@Suite("otlp exporter configuration")
struct GRPCExporterConfigurationTests {
    /// A pipeline whose only exporter is `otlp`, configured by `body` from line 4 on.
    static func pipeline(_ body: String) -> String {
        """
        receivers: {otlp: {}}
        exporters:
          otlp:
            \(body.split(separator: "\n").joined(separator: "\n    "))
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}}
        """
    }

    @Test func keysAndDefaults() throws {
        let plain = try PipelineConfiguration.parse(yaml: Self.pipeline("endpoint: collector:4317"), file: "a.yaml")
        #expect(plain.exporters[ComponentID("otlp")] == .otlpGRPC(GRPCExporterSettings(endpoint: OTLPGRPCEndpoint(host: "collector", port: 4317))))
        let full = try PipelineConfiguration.parse(
            yaml: Self.pipeline(
                """
                endpoint: http://127.0.0.1:5317
                tls: {insecure: true}
                compression: none
                timeout: 2s
                headers: {X-Tenant: a}
                """), file: "b.yaml")
        var expected = GRPCExporterSettings(endpoint: OTLPGRPCEndpoint(host: "127.0.0.1", port: 5317))
        expected.gzip = false
        expected.timeout = .seconds(2)
        expected.headers = ["x-tenant": "a"]
        #expect(full.exporters[ComponentID("otlp")] == .otlpGRPC(expected))
    }

    @Test func tlsIsRefusedNamingFileLineAndKey() {
        let yaml = Self.pipeline("endpoint: collector:4317\ntls:\n  insecure: false")
        let error = #expect(throws: PipelineConfigurationError.self) { try PipelineConfiguration.parse(yaml: yaml, file: "tls.yaml") }
        #expect(error?.keyPath == "exporters.otlp.tls.insecure")
        #expect(error?.line == 6)
        #expect(error?.description.hasPrefix("tls.yaml:6: invalid value for exporters.otlp.tls.insecure: only plaintext gRPC") == true)
    }

    @Test(arguments: [
        ("endpoint: https://collector:4317", "exporters.otlp.endpoint"),
        ("endpoint: collector:4317/v1/traces", "exporters.otlp.endpoint"),
        ("endpoint: collector:4317\ncompression: zstd", "exporters.otlp.compression"),
        ("endpoint: collector:4317\ntls: {ca_file: x.pem}", "exporters.otlp.tls.ca_file"),
        ("compression: gzip", "exporters.otlp.endpoint"),
    ])
    func badValuesNameTheirKey(body: String, keyPath: String) {
        let error = #expect(throws: PipelineConfigurationError.self) { try PipelineConfiguration.parse(yaml: Self.pipeline(body), file: "c.yaml") }
        #expect(error?.keyPath == keyPath)
        #expect(error?.line != nil)
    }
}
