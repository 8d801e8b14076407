import CircuitBreaker
import TelemetryCore

/// A demo setting that cannot be used, naming the variable or flag.
public struct DemoConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalid
        case breaker
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

    /// A `CIRCUIT_BREAKER_*` variable is unusable.
    public static func breaker(_ error: CircuitBreakerConfigurationError) -> Self {
        Self(.breaker, String(describing: error))
    }
}
