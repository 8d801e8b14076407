/// A configuration reduced to what the locked state machine reads: nanosecond integers
/// instead of `Duration` arithmetic, and the clock.
@usableFromInline
struct BreakerSettings: Sendable {
    let maxRequests: UInt32
    /// The closed-state interval, rounded up to whole bucket periods as gobreaker rounds it.
    let intervalNanos: Int64
    /// The bucket period; 0 without buckets.
    let bucketNanos: Int64
    /// Buckets per interval: 0 for a plain interval (no period, or a period as long as the interval).
    let bucketCount: Int
    let timeoutNanos: Int64
    let readyToTrip: @Sendable (Counts) -> Bool
    let rollingWindow: CircuitBreaker.RollingWindow?
    let slowCallNanos: Int64?
    let slowCallRateThreshold: Double?
    let backoff: CircuitBreaker.Backoff?
    /// Monotonic nanoseconds since the breaker was created.
    let clock: @Sendable () -> Int64

    init(_ configuration: CircuitBreaker.Configuration, clock: @escaping @Sendable () -> Int64) {
        maxRequests = max(1, configuration.maxRequests)
        (intervalNanos, bucketNanos, bucketCount) = Self.buckets(
            interval: configuration.interval.nanoseconds, period: configuration.bucketPeriod.nanoseconds
        )
        let timeout = configuration.timeout.nanoseconds
        timeoutNanos = timeout > 0 ? timeout : 60_000_000_000
        readyToTrip = configuration.readyToTrip
        rollingWindow = configuration.rollingWindow
        slowCallNanos = configuration.slowCalls.map { $0.durationThreshold.nanoseconds }
        slowCallRateThreshold = configuration.slowCalls.map(\.rateThreshold)
        backoff = configuration.backoff
        self.clock = clock
    }

    /// gobreaker's interval and buckets: a positive period divides a positive interval,
    /// rounded up to whole periods, into buckets; at most ``CircuitBreaker/Configuration/maximumBuckets``,
    /// lengthening a shorter period.
    static func buckets(interval: Int64, period: Int64) -> (interval: Int64, period: Int64, count: Int) {
        guard interval > 0 else { return (0, 0, 0) }
        guard period > 0 else { return (interval, 0, 0) }
        let limit = Int64(CircuitBreaker.Configuration.maximumBuckets)
        // The shortest period the bucket limit allows, rounded up.
        let shortest = interval / limit + (interval % limit == 0 ? 0 : 1)
        let period = max(period, shortest)
        let count = interval / period + (interval % period == 0 ? 0 : 1)
        let (rounded, overflow) = count.multipliedReportingOverflow(by: period)
        if overflow { return (interval, 0, 0) }
        return count >= 2 ? (rounded, period, Int(count)) : (rounded, 0, 0)
    }

    /// The open duration for the `trip`-th consecutive trip (1-based).
    func openDurationNanos(trip: Int) -> Int64 {
        guard let backoff, trip > 1 else { return timeoutNanos }
        let scaled = Double(timeoutNanos) * pow2(backoff.multiplier, trip - 1)
        let cap = Double(max(timeoutNanos, backoff.maximum.nanoseconds))
        return Int64(min(scaled, cap))
    }

    private func pow2(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 64) {
            result *= base
            if result > 1e18 { break }
        }
        return result
    }
}
