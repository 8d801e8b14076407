extension HealthRegistry {
    /// Settings for a ``HealthRegistry``.
    public struct Configuration: Sendable {
        /// How long a report is reused before the checks run again. Default 1 second, which
        /// bounds probe load on dependencies however often `/health` is polled; zero disables
        /// caching. Environment `HEALTH_CACHE_TTL` (read by the server configuration).
        public var cacheTTL: Duration
        /// The `version` field of `/health`. Default `unknown`; environment `SERVICE_VERSION`
        /// (read by the server configuration).
        public var version: String

        /// One second of caching, version `unknown`.
        public static let `default` = Configuration(cacheTTL: .seconds(1), version: "unknown")

        /// Creates a configuration.
        public init(cacheTTL: Duration = .seconds(1), version: String = "unknown") {
            self.cacheTTL = cacheTTL
            self.version = version
        }
    }
}
