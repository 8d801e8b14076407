import TelemetryCore

extension PrometheusMetricsBackend {
    /// Settings for the metrics backend and its scrape endpoint.
    public struct Configuration: Sendable {
        /// Whether metrics are recorded and served. Default `true`; environment `METRICS_ENABLED`.
        public var enabled: Bool
        /// The port `/metrics` is served on. Default `9090`; environment `METRICS_PORT`.
        public var port: Int
        /// The path of the scrape endpoint. Default `/metrics`; environment `METRICS_PATH`.
        public var path: String
        /// Histogram buckets of `http_request_duration_seconds`. Default Prometheus' latency
        /// buckets, 5 ms to 10 s.
        public var requestDurationBuckets: [Duration]
        /// Whether `process_*` metrics are exposed. Default `true`.
        public var includeProcessMetrics: Bool
        /// Help texts for the application's own metric names. Default none.
        public var helpTexts: [String: String]

        /// The seed's defaults: enabled, port 9090, path `/metrics`.
        public static let `default` = Configuration(
            enabled: true,
            port: 9090,
            path: "/metrics",
            requestDurationBuckets: MetricCatalog.defaultDurationBuckets,
            includeProcessMetrics: true,
            helpTexts: [:]
        )

        /// Creates a configuration from explicit values.
        public init(
            enabled: Bool,
            port: Int,
            path: String,
            requestDurationBuckets: [Duration] = MetricCatalog.defaultDurationBuckets,
            includeProcessMetrics: Bool = true,
            helpTexts: [String: String] = [:]
        ) {
            self.enabled = enabled
            self.port = port
            self.path = path
            self.requestDurationBuckets = requestDurationBuckets
            self.includeProcessMetrics = includeProcessMetrics
            self.helpTexts = helpTexts
        }

        /// Reads `METRICS_ENABLED`, `METRICS_PORT` and `METRICS_PATH`; unset variables keep the
        /// values of `base`.
        ///
        /// - Throws: ``ConfigurationError`` naming the variable whose value cannot be used.
        public init(environment: [String: String], base: Configuration = .default) throws(ConfigurationError) {
            self = base
            let reader = EnvironmentReader(environment)
            enabled = try reader.bool("METRICS_ENABLED") ?? enabled
            port = try reader.port("METRICS_PORT") ?? port
            path = try reader.path("METRICS_PATH") ?? path
        }
    }
}
