import Testing
import TraceStorage

@testable import TelemetryPipeline

@Suite("Configuration of the tracestore exporter")
struct TraceStoreConfigurationTests {
    static func parse(_ exporter: String) throws -> PipelineConfiguration {
        let yaml = """
            receivers: {otlp: {}}
            exporters:
              tracestore:\(exporter)
            service: {pipelines: {traces: {receivers: [otlp], exporters: [tracestore]}}}
            """
        return try PipelineConfiguration.parse(yaml: yaml, file: "store.yaml", environment: [:])
    }

    @Test("an empty entry keeps 64 MiB for an hour, in memory")
    func defaults() throws {
        #expect(try Self.parse(" {}").exporters[ComponentID("tracestore")] == .traceStore(TraceStore.Configuration()))
        #expect(TraceStore.Configuration() == .init(maxBytes: 64 << 20, retention: .seconds(3600)))
    }

    @Test("max_bytes and retention are read")
    func settings() throws {
        let configuration = try Self.parse("\n    storage: memory\n    max_bytes: 33554432\n    retention: 15m")
        #expect(configuration.exporters[ComponentID("tracestore")] == .traceStore(.init(maxBytes: 32 << 20, retention: .seconds(900))))
    }

    @Test("an unavailable storage, a tiny max_bytes and a misspelt key name their file, line and key")
    func badValues() {
        let storage = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    storage: sqlite") }
        #expect(storage?.file == "store.yaml")
        #expect(storage?.line == 4)
        #expect(storage?.keyPath == "exporters.tracestore.storage")
        #expect(storage?.reason.contains("storage: memory") == true)
        let size = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    max_bytes: 10") }
        #expect(size?.keyPath == "exporters.tracestore.max_bytes")
        let retention = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    retention: 0s") }
        #expect(retention?.keyPath == "exporters.tracestore.retention")
        let misspelt = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    max_byte: 10") }
        #expect(misspelt?.reason.contains("did you mean 'max_bytes'?") == true)
    }
}
