import Foundation

extension CircuitBreaker.Configuration {
    /// Environment variable for ``maxRequests``.
    public static let maxRequestsVariable = "CIRCUIT_BREAKER_MAX_REQUESTS"
    /// Environment variable for ``interval``.
    public static let intervalVariable = "CIRCUIT_BREAKER_INTERVAL"
    /// Environment variable for ``timeout``.
    public static let timeoutVariable = "CIRCUIT_BREAKER_TIMEOUT"
    /// Environment variable for the consecutive-failure ``readyToTrip`` rule.
    public static let failureThresholdVariable = "CIRCUIT_BREAKER_FAILURE_THRESHOLD"

    /// Reads the seed's `CIRCUIT_BREAKER_*` variables over `base`; unset variables keep `base`'s values.
    ///
    /// - Throws: ``CircuitBreakerConfigurationError`` naming the first invalid variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        base: Self = .default
    ) throws(CircuitBreakerConfigurationError) -> Self {
        var configuration = base
        if let raw = environment[maxRequestsVariable] {
            let value = try positiveInteger(raw, variable: maxRequestsVariable)
            configuration.maxRequests = value
        }
        if let raw = environment[intervalVariable] {
            guard let value = DurationParser.parse(raw) else {
                throw .invalidDuration(variable: intervalVariable, value: raw)
            }
            guard value >= .zero else {
                throw .outOfRange(variable: intervalVariable, value: raw, expected: "a duration of 0 (never) or more")
            }
            configuration.interval = value
        }
        if let raw = environment[timeoutVariable] {
            guard let value = DurationParser.parse(raw) else {
                throw .invalidDuration(variable: timeoutVariable, value: raw)
            }
            guard value > .zero else {
                throw .outOfRange(variable: timeoutVariable, value: raw, expected: "a duration above 0")
            }
            configuration.timeout = value
        }
        if let raw = environment[failureThresholdVariable] {
            let value = try positiveInteger(raw, variable: failureThresholdVariable)
            configuration.readyToTrip = consecutiveFailures(value)
        }
        return configuration
    }

    private static func positiveInteger(_ raw: String, variable: String) throws(CircuitBreakerConfigurationError) -> UInt32 {
        let trimmed = raw.trimmingWhitespace()
        guard let value = Int(trimmed) else { throw .invalidInteger(variable: variable, value: raw) }
        guard value >= 1, value <= Int(UInt32.max) else {
            throw .outOfRange(variable: variable, value: raw, expected: "a whole number from 1 to \(UInt32.max)")
        }
        return UInt32(value)
    }
}
