/// A configuration value that cannot be used; the message names the variable and the value.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case malformed
        case outOfRange
        case unsupported
        case inconsistent
    }

    private let code: Code
    /// The environment variable (or configuration key) at fault.
    public let variable: String
    /// The offending value as given.
    public let value: String
    /// What a valid value looks like.
    public let expectation: String

    private init(code: Code, variable: String, value: String, expectation: String) {
        self.code = code
        self.variable = variable
        self.value = value
        self.expectation = expectation
    }

    /// The value does not parse as the expected type.
    public static func malformed(_ variable: String, _ value: String, expected: String) -> Self {
        Self(code: .malformed, variable: variable, value: value, expectation: expected)
    }

    /// The value parses but lies outside the allowed range.
    public static func outOfRange(_ variable: String, _ value: String, expected: String) -> Self {
        Self(code: .outOfRange, variable: variable, value: value, expectation: expected)
    }

    /// The value names something this SDK does not implement.
    public static func unsupported(_ variable: String, _ value: String, expected: String) -> Self {
        Self(code: .unsupported, variable: variable, value: value, expectation: expected)
    }

    /// The value contradicts another setting.
    public static func inconsistent(_ variable: String, _ value: String, expected: String) -> Self {
        Self(code: .inconsistent, variable: variable, value: value, expectation: expected)
    }

    /// A number or duration ``ConfigurationValue`` refused: malformed (or not finite), else out of
    /// range, with the bound it broke as the expectation.
    package static func invalid(_ variable: String, _ value: String, _ failure: ConfigurationValueError) -> Self {
        let malformed = failure.isMalformed || failure.reason == .notFinite
        return Self(code: malformed ? .malformed : .outOfRange, variable: variable, value: value, expectation: failure.expectation)
    }

    /// Whether two errors are of the same kind, regardless of variable and value.
    public func isSameKind(as other: Self) -> Bool { code == other.code }

    public var description: String {
        let kind =
            switch code {
            case .malformed: "malformed"
            case .outOfRange: "out of range"
            case .unsupported: "unsupported"
            case .inconsistent: "inconsistent"
            }
        return "\(variable)=\"\(value)\" is \(kind): expected \(expectation)"
    }
}
