import Testing

@testable import TelemetryPipeline

@Suite("Configuration: limits")
struct LimitsConfigurationTests {
    static func pipeline(_ processors: String, using names: String) -> String {
        """
        receivers: {otlp: {}}
        processors:
        \(processors)
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [\(names)], exporters: [debug]}}}
        """
    }

    @Test("every limit is read from its processor's YAML")
    func parsesLimits() throws {
        let yaml = Self.pipeline(
            """
              spanmetrics: {aggregation_cardinality_limit: 500, metrics_expiration: 10m}
              health: {max_services: 50, service_expiration: 1h}
              tail_sampling:
                num_traces: 1000
                max_bytes: 1048576
                decision_cache: {sampled_cache_size: 10, non_sampled_cache_size: 0}
            """, using: "spanmetrics, health, tail_sampling")
        let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "limits.yaml")
        guard case .spanMetrics(let spanMetrics) = configuration.processors[ComponentID("spanmetrics")],
            case .health(let health) = configuration.processors[ComponentID("health")],
            case .tailSampling(let tail) = configuration.processors[ComponentID("tail_sampling")]
        else {
            Issue.record("a processor is missing")
            return
        }
        #expect(spanMetrics.aggregationCardinalityLimit == 500)
        #expect(spanMetrics.metricsExpiration == .seconds(600))
        #expect(health.maxServices == 50)
        #expect(health.serviceExpiration == .seconds(3600))
        #expect(tail.numTraces == 1_000)
        #expect(tail.maxBytes == 1_048_576)
        #expect(tail.sampledCacheSize == 10)
        #expect(tail.nonSampledCacheSize == 0)
    }

    @Test("defaults are sized for a real deployment and bound everything")
    func defaults() {
        #expect(SpanMetricsProcessor.Configuration.default.aggregationCardinalityLimit == 2_000)
        #expect(SpanMetricsProcessor.Configuration.default.metricsExpiration == .zero)
        #expect(TailSamplingProcessor.Configuration.default.maxBytes == 128 << 20)
        #expect(TailSamplingProcessor.Configuration.default.sampledCacheSize == 50_000)
        #expect(TailSamplingProcessor.Configuration.default.nonSampledCacheSize == 50_000)
    }

    @Test(
        "a limit that would unbound a processor is rejected with file, line and key",
        arguments: [
            ("  spanmetrics: {aggregation_cardinality_limit: 0}", "spanmetrics", "processors.spanmetrics.aggregation_cardinality_limit"),
            ("  spanmetrics: {aggregation_cardinality_limit: -1}", "spanmetrics", "processors.spanmetrics.aggregation_cardinality_limit"),
            ("  spanmetrics: {metrics_expiration: soon}", "spanmetrics", "processors.spanmetrics.metrics_expiration"),
            ("  health: {max_services: 0}", "health", "processors.health.max_services"),
            ("  health: {max_services: 99999999999999999999}", "health", "processors.health.max_services"),
            ("  health: {service_expiration: 5parsecs}", "health", "processors.health.service_expiration"),
            ("  tail_sampling: {max_bytes: 10}", "tail_sampling", "processors.tail_sampling.max_bytes"),
            ("  tail_sampling: {decision_cache: {sampled_cache_size: -5}}", "tail_sampling", "processors.tail_sampling.decision_cache.sampled_cache_size"),
            ("  tail_sampling: {decision_cache: {sampled_size: 5}}", "tail_sampling", "processors.tail_sampling.decision_cache.sampled_size"),
        ])
    func rejectsBadLimits(processor: String, name: String, keyPath: String) {
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: Self.pipeline(processor, using: name), file: "bad-limits.yaml")
        }
        #expect(error?.file == "bad-limits.yaml")
        #expect(error?.line == 3)
        #expect(error?.keyPath == keyPath)
    }
}
