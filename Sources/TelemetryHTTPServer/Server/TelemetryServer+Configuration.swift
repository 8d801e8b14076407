import HealthChecks
import TelemetryCore
import TelemetryMetrics

extension TelemetryServer {
    /// Where and what the telemetry endpoints serve, from the seed's environment variables.
    public struct Configuration: Sendable {
        /// Whether the health endpoints are served. Default `true`; environment `HEALTH_ENABLED`.
        public var healthEnabled: Bool
        /// The health endpoints' port. Default `8080`; environment `HEALTH_PORT`.
        public var healthPort: Int
        /// The health endpoint's path. Default `/health`; environment `HEALTH_PATH`.
        public var healthPath: String
        /// How long health results are reused. Default 1 second; environment `HEALTH_CACHE_TTL`
        /// (`500ms`, `5s`, `0` to disable).
        public var healthCacheTTL: Duration
        /// The address to listen on. Default `0.0.0.0`; environment `TELEMETRY_HOST`.
        public var host: String
        /// The service name for the `service` metric label. Default `unknown_service`;
        /// environment `OTEL_SERVICE_NAME`.
        public var serviceName: String
        /// The version `/health` reports. Default `unknown`; environment `SERVICE_VERSION`.
        public var version: String
        /// `/metrics` settings. Default: enabled on port 9090 at `/metrics`; environment
        /// `METRICS_ENABLED`, `METRICS_PORT`, `METRICS_PATH`.
        public var metrics: PrometheusMetricsBackend.Configuration

        /// The seed's defaults: health on 8080 at `/health`, metrics on 9090 at `/metrics`.
        public static let `default` = Configuration(
            healthEnabled: true,
            healthPort: 8080,
            healthPath: "/health",
            healthCacheTTL: .seconds(1),
            host: "0.0.0.0",
            serviceName: "unknown_service",
            version: "unknown",
            metrics: .default
        )

        /// Creates a configuration from explicit values.
        public init(
            healthEnabled: Bool,
            healthPort: Int,
            healthPath: String,
            healthCacheTTL: Duration,
            host: String,
            serviceName: String,
            version: String,
            metrics: PrometheusMetricsBackend.Configuration
        ) {
            self.healthEnabled = healthEnabled
            self.healthPort = healthPort
            self.healthPath = healthPath
            self.healthCacheTTL = healthCacheTTL
            self.host = host
            self.serviceName = serviceName
            self.version = version
            self.metrics = metrics
        }

        /// No endpoints: neither health nor metrics is served, and no metrics backend is
        /// installed, for a program that only traces. `HEALTH_ENABLED` and `METRICS_ENABLED`
        /// still turn them on.
        public static let withoutEndpoints: Configuration = {
            var configuration = Configuration.default
            configuration.healthEnabled = false
            configuration.metrics.enabled = false
            return configuration
        }()

        /// Reads the environment; unset variables keep the values of `base`.
        ///
        /// - Throws: `ConfigurationError` naming the variable whose value cannot be used.
        public init(environment: [String: String], base: Configuration = .default) throws(ConfigurationError) {
            self = base
            let reader = EnvironmentReader(environment)
            healthEnabled = try reader.bool("HEALTH_ENABLED") ?? healthEnabled
            healthPort = try reader.port("HEALTH_PORT") ?? healthPort
            healthPath = try reader.path("HEALTH_PATH") ?? healthPath
            healthCacheTTL = try reader.duration("HEALTH_CACHE_TTL") ?? healthCacheTTL
            host = reader.string("TELEMETRY_HOST") ?? host
            serviceName = reader.string("OTEL_SERVICE_NAME") ?? serviceName
            version = reader.string("SERVICE_VERSION") ?? version
            metrics = try PrometheusMetricsBackend.Configuration(environment: environment, base: base.metrics)
        }

        /// The health registry settings this configuration implies.
        public var healthRegistry: HealthRegistry.Configuration {
            HealthRegistry.Configuration(cacheTTL: healthCacheTTL, version: version)
        }
    }
}
