import CircuitBreakers
import TelemetryCore
import TelemetryMetrics

/// A demo setting that cannot be used, naming the variable or flag.
public struct DemoConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalid
        case breaker
        case telemetry
    }

    private let code: Code
    /// What is wrong, naming the variable or flag and its value.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// `variable` holds `value`, which is not `expected`.
    public static func invalid(variable: String, value: String, expected: String) -> Self {
        Self(.invalid, "\(variable)=\"\(value)\" is not \(expected)")
    }

    /// `variable` holds `value`, which the configuration parser refused for `failure`.
    package static func invalid(variable: String, value: String, _ failure: ConfigurationValueError) -> Self {
        Self(.invalid, "\(variable)=\"\(value)\" \(failure)")
    }

    /// A `METRICS_*`, `HEALTH_*` or `ALERT*` variable is unusable.
    public static func telemetry(_ error: ConfigurationError) -> Self {
        Self(.telemetry, String(describing: error))
    }

    /// A `CIRCUIT_BREAKER_*` variable is unusable.
    public static func breaker(_ error: ConfigurationError) -> Self {
        Self(.breaker, String(describing: error))
    }
}
