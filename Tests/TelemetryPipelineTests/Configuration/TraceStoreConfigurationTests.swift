import Foundation
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

    @Test("storage: sqlite reads path, max_bytes and retention")
    func sqlite() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let configuration = try Self.parse("\n    storage: sqlite\n    path: \(directory)/traces.sqlite\n    retention: 2h")
        #expect(
            configuration.exporters[ComponentID("tracestore")]
                == .traceStore(.init(retention: .seconds(7200)), storage: .sqlite(path: "\(directory)/traces.sqlite")))
    }

    @Test("sqlite without path, an unwritable path and path with memory name their file, line and key")
    func badSQLiteValues() {
        let missing = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    storage: sqlite") }
        #expect(missing?.file == "store.yaml")
        #expect(missing?.line == 4)
        #expect(missing?.keyPath == "exporters.tracestore.path")
        let unwritable = #expect(throws: PipelineConfigurationError.self) {
            try Self.parse("\n    storage: sqlite\n    path: /nonexistent-directory/traces.sqlite")
        }
        #expect(unwritable?.line == 5)
        #expect(unwritable?.keyPath == "exporters.tracestore.path")
        #expect(unwritable?.reason.contains("does not exist") == true)
        let directory = #expect(throws: PipelineConfigurationError.self) {
            try Self.parse("\n    storage: sqlite\n    path: \(FileManager.default.temporaryDirectory.path)")
        }
        #expect(directory?.reason.contains("is a directory") == true)
        let memoryPath = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    path: /tmp/traces.sqlite") }
        #expect(memoryPath?.line == 4)
        #expect(memoryPath?.keyPath == "exporters.tracestore.path")
        #expect(memoryPath?.reason.contains("storage: sqlite") == true)
    }

    @Test("an unavailable storage, a tiny max_bytes and a misspelt key name their file, line and key")
    func badValues() {
        let storage = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    storage: postgres") }
        #expect(storage?.file == "store.yaml")
        #expect(storage?.line == 4)
        #expect(storage?.keyPath == "exporters.tracestore.storage")
        #expect(storage?.reason.contains("storage: sqlite") == true)
        let size = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    max_bytes: 10") }
        #expect(size?.keyPath == "exporters.tracestore.max_bytes")
        let retention = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    retention: 0s") }
        #expect(retention?.keyPath == "exporters.tracestore.retention")
        let misspelt = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    max_byte: 10") }
        #expect(misspelt?.reason.contains("did you mean 'max_bytes'?") == true)
    }
}
