import TelemetryCore

/// A configuration value that cannot be used, naming the variable it came from.
public struct TelemetryConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case notABoolean
        case notAPort
        case notAPath
        case notADuration
        case outOfRange
    }

    private let code: Code
    /// The environment variable or setting holding the bad value.
    public let key: String
    /// The value as found.
    public let value: String
    private let problem: String

    private init(_ code: Code, key: String, value: String, problem: String = "") {
        self.code = code
        self.key = key
        self.value = value
        self.problem = problem
    }

    /// The value is not one of `true`, `false`, `1`, `0`, `yes`, `no`.
    public static func notABoolean(key: String, value: String) -> Self { Self(.notABoolean, key: key, value: value) }
    /// The value is not a port number in 0...65535.
    public static func notAPort(key: String, value: String) -> Self { Self(.notAPort, key: key, value: value) }
    /// The value is not an absolute URL path.
    public static func notAPath(key: String, value: String) -> Self { Self(.notAPath, key: key, value: value) }
    /// The value is not a duration such as `500ms`, `5s` or `1m`.
    public static func notADuration(key: String, value: String) -> Self { Self(.notADuration, key: key, value: value) }
    /// The value is well formed but unusable: not finite, negative, or above the maximum.
    package static func invalid(key: String, value: String, _ failure: ConfigurationValueError) -> Self {
        Self(.outOfRange, key: key, value: value, problem: failure.description)
    }

    public var description: String {
        switch code {
        case .notABoolean: "\(key)=\"\(value)\" is not a boolean (use true or false)"
        case .notAPort: "\(key)=\"\(value)\" is not a port number between 0 and 65535"
        case .notAPath: "\(key)=\"\(value)\" is not a path starting with /"
        case .notADuration: "\(key)=\"\(value)\" is not a duration such as 500ms, 5s or 1m"
        case .outOfRange: "\(key)=\"\(value)\" \(problem)"
        }
    }
}
