// The limits on state keyed by incoming data, one set per processor that keeps such state.
// Zero means "never" only for expirations: every count limit is at least 1, because a
// processor without a bound is what these keys exist to prevent.

extension PipelineConfiguration {
    /// `spanmetrics` keys, named as the Collector's spanmetrics connector names them.
    static let spanMetricsLimitKeys = ["aggregation_cardinality_limit", "metrics_expiration"]

    static func parseSpanMetricsLimits(
        _ keys: [String: ConfigNode], into configuration: inout SpanMetricsProcessor.Configuration
    ) throws(PipelineConfigurationError) {
        if let value = keys["aggregation_cardinality_limit"] { configuration.aggregationCardinalityLimit = try value.int(in: 1...1_000_000) }
        if let value = keys["metrics_expiration"] { configuration.metricsExpiration = try value.duration() }
    }

    static let healthLimitKeys = ["max_services", "service_expiration"]

    static func parseHealthLimits(_ keys: [String: ConfigNode], into configuration: inout HealthBoard.Configuration) throws(PipelineConfigurationError) {
        if let value = keys["max_services"] { configuration.maxServices = try value.int(in: 1...1_000_000) }
        if let value = keys["service_expiration"] { configuration.serviceExpiration = try value.duration() }
    }

    /// `max_bytes` is ours; `decision_cache` is the Collector's tail-sampling processor's.
    static let tailSamplingLimitKeys = ["max_bytes", "decision_cache"]

    static func parseTailSamplingLimits(
        _ keys: [String: ConfigNode], into configuration: inout TailSamplingProcessor.Configuration
    ) throws(PipelineConfigurationError) {
        if let value = keys["max_bytes"] { configuration.maxBytes = try value.int(in: 1_024...(1 << 40)) }
        if let cache = keys["decision_cache"] {
            let sizes = try cache.entries(allowing: ["sampled_cache_size", "non_sampled_cache_size"])
            if let value = sizes["sampled_cache_size"] { configuration.sampledCacheSize = try value.int(in: 0...10_000_000) }
            if let value = sizes["non_sampled_cache_size"] { configuration.nonSampledCacheSize = try value.int(in: 0...10_000_000) }
        }
    }
}
