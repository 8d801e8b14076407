import Testing

@testable import TelemetryPipeline

/// Numbers and durations in a pipeline file: each one that trapped or was misread is an error
/// naming the file, the line and the key.
@Suite("Configuration values")
struct PipelineConfigurationValueTests {
    /// A pipeline whose only processor is `type`, configured by `body` on line 4 onwards.
    static func pipeline(_ type: String, _ body: String) -> String {
        """
        receivers: {otlp: {}}
        processors:
          \(type):
            \(body)
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [\(type)], exporters: [debug]}}}
        """
    }

    @Test(
        "values that trapped or were misread name file, line and key",
        arguments: [
            ("batch", "timeout: 100000000000s", "processors.batch.timeout", "'100000000000s' is above the maximum 876600h (100 years)"),
            ("batch", "timeout: 99999999999h", "processors.batch.timeout", "'99999999999h' is above the maximum 876600h (100 years)"),
            ("batch", "timeout: inf", "processors.batch.timeout", "'inf' is not a finite number"),
            ("batch", "timeout: -1s", "processors.batch.timeout", "'-1s' is negative"),
            ("batch", "timeout: 5", "processors.batch.timeout", "expected a duration such as 250ms, 1.5s or 1h30m, got '5'"),
            ("batch", "send_batch_size: 99999999999999999999", "processors.batch.send_batch_size", "'99999999999999999999' is above the maximum 10000000"),
            ("batch", "send_batch_size: 1.5", "processors.batch.send_batch_size", "expected a whole number, got '1.5'"),
            ("memory_limiter", "check_interval: 0s", "processors.memory_limiter.check_interval", "'0s' is not above 0"),
            ("memory_limiter", "limit_mib: -5", "processors.memory_limiter.limit_mib", "'-5' is not above 0"),
            (
                "tail_sampling", "decision_wait: 1e400s", "processors.tail_sampling.decision_wait",
                "expected a duration such as 250ms, 1.5s or 1h30m, got '1e400s'"
            ),
            ("tail_sampling", "num_traces: .inf", "processors.tail_sampling.num_traces", "expected a whole number, got '.inf'"),
            ("health", "window: 2000000h", "processors.health.window", "'2000000h' is above the maximum 876600h (100 years)"),
            ("health", "degraded_error_ratio: nan", "processors.health.degraded_error_ratio", "'nan' is not a finite number"),
            ("health", "unhealthy_error_ratio: 1e400", "processors.health.unhealthy_error_ratio", "'1e400' is not a finite number"),
            ("probabilistic_sampler", "sampling_percentage: -1", "processors.probabilistic_sampler.sampling_percentage", "'-1' is negative"),
        ]
    )
    func trapsAreNamedErrors(type: String, body: String, keyPath: String, problem: String) {
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: Self.pipeline(type, body), file: "traps.yaml")
        }
        #expect(error?.file == "traps.yaml")
        #expect(error?.line == 4)
        #expect(error?.keyPath == keyPath)
        #expect(error?.description == "traps.yaml:4: invalid value for \(keyPath): \(problem)")
    }

    @Test("histogram buckets take seconds or durations; a non-finite bucket names its element")
    func buckets() throws {
        let good = Self.pipeline("spanmetrics", "histogram: {explicit: {buckets: [0.005, 10ms, 1e-1, 1s]}}")
        guard case .spanMetrics(let settings) = try PipelineConfiguration.parse(yaml: good, file: "b.yaml").processors[ComponentID("spanmetrics")] else {
            Issue.record("spanmetrics missing")
            return
        }
        #expect(settings.buckets == [0.005, 0.01, 0.1, 1])
        let bad = Self.pipeline("spanmetrics", "histogram: {explicit: {buckets: [1ms, inf]}}")
        let error = #expect(throws: PipelineConfigurationError.self) { try PipelineConfiguration.parse(yaml: bad, file: "b.yaml") }
        #expect(error?.line == 4)
        #expect(error?.keyPath == "processors.spanmetrics.histogram.explicit.buckets[1]")
        #expect(error?.reason == "invalid value for processors.spanmetrics.histogram.explicit.buckets[1]: 'inf' is not a finite number")
    }

    @Test("an exporter's timeout is bounded like a processor's")
    func exporterTimeout() {
        let yaml = """
            receivers: {otlp: {}}
            exporters:
              otlphttp:
                endpoint: http://collector:4318
                timeout: 100000000000s
            service: {pipelines: {traces: {receivers: [otlp], exporters: [otlphttp]}}}
            """
        let error = #expect(throws: PipelineConfigurationError.self) { try PipelineConfiguration.parse(yaml: yaml, file: "e.yaml") }
        #expect(error?.description == "e.yaml:5: invalid value for exporters.otlphttp.timeout: '100000000000s' is above the maximum 876600h (100 years)")
    }

    @Test("the Collector's duration forms still read", arguments: ["200ms", "5s", "1m30s", "1h", "1.5s", "0", "250us", "10µs"])
    func collectorDurations(text: String) throws {
        _ = try PipelineConfiguration.parse(yaml: Self.pipeline("batch", "timeout: \(text)"), file: "ok.yaml")
    }
}
