import CircuitBreaker

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

    /// A `CIRCUIT_BREAKER_*` variable is unusable.
    public static func breaker(_ error: CircuitBreakerConfigurationError) -> Self {
        Self(.breaker, String(describing: error))
    }
}
