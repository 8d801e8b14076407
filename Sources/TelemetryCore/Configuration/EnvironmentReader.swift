/// Typed reads of environment variables, the one way every module reads its settings: a
/// variable that is unset or blank is `nil`, surrounding spaces are ignored, and a value that
/// cannot be used throws a ``ConfigurationError`` naming the variable, its value and the form
/// expected.
package struct EnvironmentReader: Sendable {
    /// The forms a value is expected in, as error messages name them.
    package enum Expected {
        package static let boolean = "true or false (also 1/0, yes/no, on/off)"
        package static let port = "a port number between 0 and 65535"
        package static let path = "a path starting with /"
        package static let duration = "a duration such as 500ms, 5s or 1m"
    }

    private let environment: [String: String]

    package init(_ environment: [String: String]) {
        self.environment = environment
    }

    package func string(_ key: String) -> String? {
        guard let value = environment[key]?.trimmingSpaces(), !value.isEmpty else { return nil }
        return value
    }

    package func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = string(key) else { return nil }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .malformed(key, value, expected: Expected.boolean)
        }
    }

    package func port(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.integer(value, in: 0...65535)
        } catch {
            throw error.isMalformed ? .malformed(key, value, expected: Expected.port) : .outOfRange(key, value, expected: Expected.port)
        }
    }

    package func path(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = string(key) else { return nil }
        guard value.hasPrefix("/") else { throw .malformed(key, value, expected: Expected.path) }
        return value
    }

    /// Reads `250ms`, `5s`, `1m`, `1h30m`, or a bare number of seconds (`0.5`), from 0 up to
    /// ``ConfigurationValue/maximumDuration``.
    package func duration(_ key: String) throws(ConfigurationError) -> Duration? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.duration(value, bareNumberUnit: .seconds)
        } catch {
            throw error.isMalformed ? .malformed(key, value, expected: Expected.duration) : .invalid(key, value, error)
        }
    }

    /// Reads a ratio from 0 to 1 (`0.05` for 5%).
    package func ratio(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.number(value, in: 0...1)
        } catch {
            throw .invalid(key, value, error)
        }
    }
}
