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
        guard let port = Int(value), (0...65535).contains(port) else { throw .notAPort(key: key, value: value) }
        return port
    }

    package func path(_ key: String) throws(TelemetryConfigurationError) -> String? {
        guard let value = string(key) else { return nil }
        guard value.hasPrefix("/") else { throw .notAPath(key: key, value: value) }
        return value
    }

    /// Reads `250ms`, `5s`, `1m`, or a bare number of seconds.
    package func duration(_ key: String) throws(TelemetryConfigurationError) -> Duration? {
        guard let value = string(key) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where value.hasSuffix(suffix) {
            if let number = Double(value.dropLast(suffix.count)), number >= 0 {
                return .milliseconds(Int64((number * scale * 1000).rounded()))
            }
        }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64((seconds * 1000).rounded())) }
        throw .notADuration(key: key, value: value)
    }
}
