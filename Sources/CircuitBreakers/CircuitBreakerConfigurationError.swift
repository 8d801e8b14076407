/// A configuration value that cannot be used, naming the variable it came from.
public struct CircuitBreakerConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalidInteger
        case invalidDuration
        case outOfRange
    }

    private let code: Code
    /// The environment variable (or key) holding the bad value.
    public let variable: String
    /// The value as given.
    public let value: String
    private let expectation: String

    private init(code: Code, variable: String, value: String, expectation: String) {
        self.code = code
        self.variable = variable
        self.value = value
        self.expectation = expectation
    }

    /// The value is not a whole number.
    public static func invalidInteger(variable: String, value: String) -> Self {
        Self(code: .invalidInteger, variable: variable, value: value, expectation: "a whole number")
    }

    /// The value is not a duration such as `60s`, `500ms`, `2m` or `1m30s`.
    public static func invalidDuration(variable: String, value: String) -> Self {
        Self(code: .invalidDuration, variable: variable, value: value, expectation: "a duration such as 60s, 500ms, 2m or 1m30s")
    }

    /// The value parses but lies outside what the setting accepts.
    public static func outOfRange(variable: String, value: String, expected: String) -> Self {
        Self(code: .outOfRange, variable: variable, value: value, expectation: expected)
    }

    public var description: String {
        "invalid \(variable)=\"\(value)\": expected \(expectation)"
    }

    /// Equal when the same problem affects the same variable.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.variable == rhs.variable
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(variable)
    }
}
