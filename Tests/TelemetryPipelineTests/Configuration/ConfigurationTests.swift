import Foundation
import Testing

@testable import TelemetryPipeline

@Suite("Configuration")
struct ConfigurationTests {
    static let issueExample = """
        receivers:   { otlp: {protocols: {http: {endpoint: 0.0.0.0:4318}}}, jaeger: {protocols: {thrift_http: {endpoint: 0.0.0.0:14268}}} }
        processors:  { batch: {}, spanmetrics: {}, errors: {}, health: {window: 60s, degraded_error_ratio: 0.05, unhealthy_error_ratio: 0.25, degraded_latency_p99: 1s}, circuit_breakers: {} }
        exporters:   { jaeger: {endpoint: "http://jaeger:14268/api/traces"}, prometheus: {endpoint: 0.0.0.0:9464} }
        service:     { pipelines: {traces: {receivers: [otlp, jaeger], processors: [batch, spanmetrics, errors, health, circuit_breakers], exporters: [jaeger, prometheus]}}, monitoring: {endpoint: 0.0.0.0:8888} }
        """

    @Test("the issue's example parses into one pipeline with its components in order")
    func parsesIssueExample() throws {
        let configuration = try PipelineConfiguration.parse(yaml: Self.issueExample, file: "example.yaml")
        #expect(configuration.pipelines.count == 1)
        let pipeline = try #require(configuration.pipelines.first)
        #expect(pipeline.receivers.map(\.description) == ["otlp", "jaeger"])
        #expect(pipeline.processors.map(\.description) == ["batch", "spanmetrics", "errors", "health", "circuit_breakers"])
        #expect(pipeline.exporters.map(\.description) == ["jaeger", "prometheus"])
        #expect(configuration.receivers[ComponentID("otlp")] == .otlp(http: HTTPReceiverSettings(endpoint: Endpoint(host: "0.0.0.0", port: 4318)), grpc: nil))
        guard case .health(let health) = configuration.processors[ComponentID("health")] else {
            Issue.record("health processor missing")
            return
        }
        #expect(health.window == .seconds(60))
        #expect(health.degradedLatencyP99 == .seconds(1))
        #expect(configuration.monitoring.endpoint.port == 8888)
    }

    @Test("an unknown processor reference names file, line, key path and the nearest name")
    func unknownProcessorSuggestsNearest() {
        let yaml = """
            receivers:
              otlp: {}
            processors:
              spanmetrics: {}
            exporters:
              debug: {}
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors:
                    - spanmetric
                  exporters: [debug]
            """
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: yaml, file: "bad.yaml")
        }
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == 12)
        #expect(error?.keyPath == "service.pipelines.traces.processors")
        #expect(
            error?.reason == "unknown processor 'spanmetric' in service.pipelines.traces.processors, did you mean 'spanmetrics'?")
    }

    @Test("a misspelt key inside a component is rejected with a suggestion and its line")
    func unknownKeySuggestsNearest() {
        let yaml = """
            receivers: {otlp: {}}
            processors:
              health:
                window: 30s
                degraded_eror_ratio: 0.1
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [health], exporters: [debug]}}}
            """
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: yaml, file: "typo.yaml")
        }
        #expect(error?.line == 5)
        #expect(error?.keyPath == "processors.health.degraded_eror_ratio")
        #expect(error?.reason.contains("did you mean 'degraded_error_ratio'?") == true)
    }

    @Test("an unknown component type lists a suggestion")
    func unknownComponentType() {
        let yaml = """
            receivers: {otlp: {}}
            exporters: {prometheus: {}, promethus/second: {}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [prometheus]}}}
            """
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: yaml, file: "x.yaml")
        }
        #expect(error?.line == 2)
        #expect(error?.reason.contains("did you mean 'prometheus'?") == true)
    }

    @Test("${env:NAME} and ${env:NAME:-default} are substituted; an unset variable without default is an error")
    func environmentSubstitution() throws {
        let yaml = """
            receivers: {otlp: {protocols: {http: {endpoint: "${env:OTLP_ENDPOINT}"}}}}
            exporters: {prometheus: {endpoint: "${env:PROM:-127.0.0.1:9999}"}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [prometheus]}}}
            """
        let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "env.yaml", environment: ["OTLP_ENDPOINT": "127.0.0.1:5555"])
        #expect(configuration.receivers[ComponentID("otlp")] == .otlp(http: HTTPReceiverSettings(endpoint: Endpoint(host: "127.0.0.1", port: 5555)), grpc: nil))
        #expect(configuration.exporters[ComponentID("prometheus")] == .prometheus(endpoint: Endpoint(host: "127.0.0.1", port: 9999)))

        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: yaml, file: "env.yaml", environment: [:])
        }
        #expect(error?.line == 1)
        #expect(error?.reason.contains("OTLP_ENDPOINT") == true)
    }

    @Test("component IDs may carry a name; pipelines may be named traces/NAME")
    func namedComponents() throws {
        let yaml = """
            receivers: {otlp/in: {protocols: {http: {endpoint: "127.0.0.1:0"}}}}
            processors: {batch/small: {send_batch_size: 10, timeout: 1s}}
            exporters: {debug/loud: {verbosity: detailed}}
            service: {pipelines: {traces/main: {receivers: [otlp/in], processors: [batch/small], exporters: [debug/loud]}}}
            """
        let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "named.yaml")
        #expect(configuration.pipelines.first?.name == "traces/main")
        #expect(configuration.processors[ComponentID("batch/small")] == .batch(.init(sendBatchSize: 10, sendBatchMaxSize: 0, timeout: .seconds(1))))
    }

    @Test("values out of range and bad durations are rejected with their key")
    func invalidValues() {
        let yaml = """
            receivers: {otlp: {}}
            processors: {batch: {timeout: soon}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [debug]}}}
            """
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: yaml, file: "v.yaml")
        }
        #expect(error?.keyPath == "processors.batch.timeout")
        #expect(error?.line == 2)
    }

    @Test("YAML syntax errors carry the line")
    func syntaxError() {
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: "receivers:\n  otlp: {\nservice: [", file: "broken.yaml")
        }
        #expect(error?.file == "broken.yaml")
        #expect(error?.line != nil)
    }

    @Test("the shipped pipelines validate", arguments: ["default.yaml", "jaeger.yaml", "tail-sampling.yaml"])
    func shippedPipelinesValidate(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("pipelines").appendingPathComponent(name).path
        let configuration = try PipelineConfiguration.load(path: path, environment: [:])
        #expect(!configuration.pipelines.isEmpty)
    }

    @Test("edit distance suggests only plausible typos")
    func suggestions() {
        #expect(EditDistance.closest(to: "spanmetric", among: ["spanmetrics", "batch"]) == "spanmetrics")
        #expect(EditDistance.closest(to: "zzz", among: ["spanmetrics", "batch"]) == nil)
    }
}
