import TelemetryCore

/// Typed reads of environment variables; `nil` when a variable is unset or empty.
package struct EnvironmentReader: Sendable {
    private let environment: [String: String]

    package init(_ environment: [String: String]) {
        self.environment = environment
    }

    package func string(_ key: String) -> String? {
        guard let value = environment[key]?.trimmingPrefix(" "), !value.isEmpty else { return nil }
        return String(value)
    }

    package func bool(_ key: String) throws(TelemetryConfigurationError) -> Bool? {
        guard let value = string(key) else { return nil }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .notABoolean(key: key, value: value)
        }
    }

    package func port(_ key: String) throws(TelemetryConfigurationError) -> Int? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.integer(value, in: 0...65535)
        } catch {
            throw .notAPort(key: key, value: value)
        }
    }

    package func path(_ key: String) throws(TelemetryConfigurationError) -> String? {
        guard let value = string(key) else { return nil }
        guard value.hasPrefix("/") else { throw .notAPath(key: key, value: value) }
        return value
    }

    /// Reads `250ms`, `5s`, `1m`, `1h30m`, or a bare number of seconds (`0.5`), from 0 up to
    /// ``ConfigurationValue/maximumDuration``.
    package func duration(_ key: String) throws(TelemetryConfigurationError) -> Duration? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.duration(value, bareNumberUnit: .seconds)
        } catch {
            throw error.isMalformed ? .notADuration(key: key, value: value) : .invalid(key: key, value: value, error)
        }
    }

    /// Reads a ratio from 0 to 1 (`0.05` for 5%).
    package func ratio(_ key: String) throws(TelemetryConfigurationError) -> Double? {
        guard let value = string(key) else { return nil }
        do {
            return try ConfigurationValue.number(value, in: 0...1)
        } catch {
            throw .invalid(key: key, value: value, error)
        }
    }
}
