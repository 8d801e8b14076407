import Testing

@testable import TelemetryPipeline

@Suite("Configuration of the zipkin receiver")
struct ZipkinConfigurationTests {
    static func parse(_ receiver: String, environment: [String: String] = [:]) throws -> PipelineConfiguration {
        let yaml = """
            receivers:
              zipkin:\(receiver)
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [zipkin], exporters: [debug]}}}
            """
        return try PipelineConfiguration.parse(yaml: yaml, file: "zipkin.yaml", environment: environment)
    }

    @Test("an empty zipkin entry listens on 0.0.0.0:9411 with the default body limit")
    func defaults() throws {
        let configuration = try Self.parse("")
        #expect(configuration.receivers[ComponentID("zipkin")] == .zipkin(HTTPReceiverSettings(endpoint: Endpoint(host: "0.0.0.0", port: 9411))))
    }

    @Test("endpoint and max_request_body_size sit at the top level, as in the Collector; ${env:…} substitutes")
    func settings() throws {
        let configuration = try Self.parse(
            "\n    endpoint: ${env:ZIPKIN_ENDPOINT:-0.0.0.0:9411}\n    max_request_body_size: 1024", environment: ["ZIPKIN_ENDPOINT": "127.0.0.1:19411"])
        var expected = HTTPReceiverSettings(endpoint: Endpoint(host: "127.0.0.1", port: 19411))
        expected.maxRequestBodySize = 1024
        #expect(configuration.receivers[ComponentID("zipkin")] == .zipkin(expected))
    }

    @Test("a misspelt key names file, line, key path and the nearest key")
    func misspeltKey() {
        let error = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    endpont: 127.0.0.1:9411") }
        #expect(error?.file == "zipkin.yaml")
        #expect(error?.line == 3)
        #expect(error?.keyPath == "receivers.zipkin.endpont")
        #expect(error?.reason.contains("did you mean 'endpoint'?") == true)
    }

    @Test("a bad endpoint and an out-of-range body limit are rejected with their key")
    func badValues() {
        let endpoint = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    endpoint: nowhere") }
        #expect(endpoint?.keyPath == "receivers.zipkin.endpoint")
        let limit = #expect(throws: PipelineConfigurationError.self) { try Self.parse("\n    max_request_body_size: 0") }
        #expect(limit?.keyPath == "receivers.zipkin.max_request_body_size")
    }
}
