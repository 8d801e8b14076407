import ErrorAggregation
import TelemetryCore
import TelemetryMetrics

extension ServiceAlerts {
    /// The seed's three alerts and their thresholds, from the environment.
    ///
    /// An alert fires once its condition has held for its `…For` duration and resolves as
    /// soon as the condition clears.
    public struct Configuration: Sendable, Equatable {
        /// Whether any alert is evaluated. Default `true`; environment `ALERTS_ENABLED`.
        public var enabled: Bool
        /// Error rate (errors ÷ requests over the last minute, 0...1) above which the
        /// `high_error_rate` alert's condition holds. Default `0.2`;
        /// environment `ALERT_ERROR_RATE_THRESHOLD`.
        public var errorRateThreshold: Double
        /// How long the error rate must stay high. Default 30 s; `ALERT_ERROR_RATE_FOR`.
        public var errorRateFor: Duration
        /// Mean response time of recent requests above which the `high_response_time`
        /// alert's condition holds. Default 500 ms; `ALERT_RESPONSE_TIME_THRESHOLD`.
        public var responseTimeThreshold: Duration
        /// How long the response time must stay high. Default 30 s; `ALERT_RESPONSE_TIME_FOR`.
        public var responseTimeFor: Duration
        /// How long a breaker must stay open before `circuit_breaker_open` fires. Default 0
        /// (at once: an open breaker already took several failures to trip);
        /// `ALERT_CIRCUIT_BREAKER_OPEN_FOR`.
        public var breakerOpenFor: Duration

        /// The defaults listed on each property.
        public static let `default` = Configuration(
            enabled: true,
            errorRateThreshold: 0.2,
            errorRateFor: .seconds(30),
            responseTimeThreshold: .milliseconds(500),
            responseTimeFor: .seconds(30),
            breakerOpenFor: .zero
        )

        /// Creates a configuration from explicit values.
        public init(
            enabled: Bool,
            errorRateThreshold: Double,
            errorRateFor: Duration,
            responseTimeThreshold: Duration,
            responseTimeFor: Duration,
            breakerOpenFor: Duration
        ) {
            self.enabled = enabled
            self.errorRateThreshold = errorRateThreshold
            self.errorRateFor = errorRateFor
            self.responseTimeThreshold = responseTimeThreshold
            self.responseTimeFor = responseTimeFor
            self.breakerOpenFor = breakerOpenFor
        }

        /// The defaults overridden by the variables named on each property.
        ///
        /// - Throws: `ConfigurationError` naming the first unusable variable
        ///   (`ALERT_ERROR_RATE_THRESHOLD=5` is not a ratio from 0 to 1).
        public init(environment: [String: String]) throws(ConfigurationError) {
            self = .default
            let reader = EnvironmentReader(environment)
            enabled = try reader.bool("ALERTS_ENABLED") ?? enabled
            errorRateThreshold = try reader.ratio("ALERT_ERROR_RATE_THRESHOLD") ?? errorRateThreshold
            errorRateFor = try reader.duration("ALERT_ERROR_RATE_FOR") ?? errorRateFor
            responseTimeThreshold = try reader.duration("ALERT_RESPONSE_TIME_THRESHOLD") ?? responseTimeThreshold
            responseTimeFor = try reader.duration("ALERT_RESPONSE_TIME_FOR") ?? responseTimeFor
            breakerOpenFor = try reader.duration("ALERT_CIRCUIT_BREAKER_OPEN_FOR") ?? breakerOpenFor
        }

        /// The error aggregator's rule for `high_error_rate` (the aggregator owns error rates).
        public var errorRateRules: [AlertRule] {
            guard enabled else { return [] }
            return [AlertRule(name: ServiceAlerts.highErrorRate, errorRateAbove: errorRateThreshold, for: errorRateFor, window: .oneMinute)]
        }

        /// An error aggregator configuration carrying ``errorRateRules``.
        public var errorAggregator: ErrorAggregator.Configuration {
            ErrorAggregator.Configuration(alertRules: errorRateRules)
        }
    }
}
