import TelemetryCore

/// The demo's flags and variables, read through the package's one configuration parser so that
/// `--duration inf` or `--rate 1e-300` is an error naming the flag instead of a trap later.
package enum DemoSetting {
    /// `250ms`, `2s`, `1.5m`, `1h30m`, or a bare number of seconds, from `minimum` up to
    /// ``ConfigurationValue/maximumDuration``.
    package static func duration(_ text: String, name: String, minimum: Duration = .zero) throws(DemoConfigurationError) -> Duration {
        do {
            return try ConfigurationValue.duration(text, bareNumberUnit: .seconds, minimum: minimum)
        } catch {
            throw .invalid(variable: name, value: text, error)
        }
    }

    /// Requests per second: 0 for no traffic, else from one per thousand seconds to 10 000, so
    /// the interval between requests (`1000 / rate` milliseconds) stays a sane whole number.
    package static func rate(_ text: String, name: String) throws(DemoConfigurationError) -> Double {
        do throws(ConfigurationValueError) {
            let rate = try ConfigurationValue.number(text, in: 0...10_000)
            guard rate == 0 || rate >= 0.001 else { throw ConfigurationValueError(.tooSmall(minimum: "0.001 (or 0 for no traffic)")) }
            return rate
        } catch {
            throw .invalid(variable: name, value: text, error)
        }
    }

    /// A share from 0 to 1.
    package static func ratio(_ text: String, name: String) throws(DemoConfigurationError) -> Double {
        do {
            return try ConfigurationValue.number(text, in: 0...1)
        } catch {
            throw .invalid(variable: name, value: text, error)
        }
    }

    /// A port from 0 (any free one) to 65535.
    package static func port(_ text: String, name: String) throws(DemoConfigurationError) -> Int {
        do {
            return try ConfigurationValue.integer(text, in: 0...65535)
        } catch {
            throw .invalid(variable: name, value: text, expected: "a port from 0 to 65535")
        }
    }
}
