import Foundation
import TelemetryCore

extension CircuitBreaker.Configuration {
    /// Environment variable for ``maxRequests``.
    public static let maxRequestsVariable = "CIRCUIT_BREAKER_MAX_REQUESTS"
    /// Environment variable for ``interval``.
    public static let intervalVariable = "CIRCUIT_BREAKER_INTERVAL"
    /// Environment variable for ``bucketPeriod``.
    public static let bucketPeriodVariable = "CIRCUIT_BREAKER_BUCKET_PERIOD"
    /// Environment variable for ``timeout``.
    public static let timeoutVariable = "CIRCUIT_BREAKER_TIMEOUT"
    /// Environment variable for the consecutive-failure ``readyToTrip`` rule.
    public static let failureThresholdVariable = "CIRCUIT_BREAKER_FAILURE_THRESHOLD"

    /// Reads the seed's `CIRCUIT_BREAKER_*` variables over `base`; unset variables keep `base`'s values.
    ///
    /// `CIRCUIT_BREAKER_BUCKET_PERIOD`, when set and not `0`, must divide the resulting interval
    /// into at most ``maximumBuckets`` whole buckets: the values gobreaker would quietly round
    /// (or ignore, without an interval) are refused here rather than changed.
    ///
    /// - Throws: ``ConfigurationError`` naming the first invalid variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        base: Self = .default
    ) throws(ConfigurationError) -> Self {
        var configuration = base
        if let raw = environment[maxRequestsVariable] {
            let value = try positiveInteger(raw, variable: maxRequestsVariable)
            configuration.maxRequests = value
        }
        if let raw = environment[intervalVariable] {
            configuration.interval = try duration(raw, variable: intervalVariable, minimum: .zero)
        }
        if let raw = environment[bucketPeriodVariable] {
            let period = try duration(raw, variable: bucketPeriodVariable, minimum: .zero)
            try checkBucketPeriod(period, raw: raw, interval: configuration.interval)
            configuration.bucketPeriod = period
        }
        if let raw = environment[timeoutVariable] {
            configuration.timeout = try duration(raw, variable: timeoutVariable, minimum: .nanoseconds(1))
        }
        if let raw = environment[failureThresholdVariable] {
            let value = try positiveInteger(raw, variable: failureThresholdVariable)
            configuration.readyToTrip = consecutiveFailures(value)
        }
        return configuration
    }

    private static func positiveInteger(_ raw: String, variable: String) throws(ConfigurationError) -> UInt32 {
        do {
            return UInt32(try ConfigurationValue.integer(raw, in: 1...Int(UInt32.max)))
        } catch {
            guard !error.isMalformed else { throw .malformed(variable, raw, expected: "a whole number") }
            throw .outOfRange(variable, raw, expected: "a whole number from 1 to \(UInt32.max)")
        }
    }

    private static func checkBucketPeriod(
        _ period: Duration, raw: String, interval: Duration
    ) throws(ConfigurationError) {
        guard period > .zero else { return }
        let intervalText = "\(intervalVariable) (\(ConfigurationValue.describe(interval)))"
        func refuse(_ expected: String) -> ConfigurationError {
            .outOfRange(bucketPeriodVariable, raw, expected: expected)
        }
        guard interval > .zero else { throw refuse("0 while \(intervalVariable) is 0: buckets divide the interval") }
        guard period <= interval else { throw refuse("at most \(intervalText)") }
        let (intervalNanos, periodNanos) = (interval.nanoseconds, period.nanoseconds)
        guard intervalNanos % periodNanos == 0 else { throw refuse("a duration that divides \(intervalText) evenly") }
        guard intervalNanos / periodNanos <= Int64(maximumBuckets) else {
            throw refuse("at most \(maximumBuckets) buckets per \(intervalText)")
        }
    }

    /// A Go duration with a unit (`60s`, `500ms`, `1m30s`; `0` alone needs none), as gobreaker's
    /// settings are written; at most ``ConfigurationValue/maximumDuration``.
    private static func duration(
        _ raw: String, variable: String, minimum: Duration
    ) throws(ConfigurationError) -> Duration {
        do {
            return try ConfigurationValue.duration(raw, minimum: minimum)
        } catch {
            guard !error.isMalformed else { throw .malformed(variable, raw, expected: "a duration such as 60s, 500ms, 2m or 1m30s") }
            throw .invalid(variable, raw, error)
        }
    }
}
