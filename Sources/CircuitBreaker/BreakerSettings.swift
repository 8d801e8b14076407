/// A configuration reduced to what the locked state machine reads: nanosecond integers
/// instead of `Duration` arithmetic, and the clock.
@usableFromInline
struct BreakerSettings: Sendable {
    let maxRequests: UInt32
    let intervalNanos: Int64
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
        intervalNanos = max(0, configuration.interval.nanoseconds)
        let timeout = configuration.timeout.nanoseconds
        timeoutNanos = timeout > 0 ? timeout : 60_000_000_000
        readyToTrip = configuration.readyToTrip
        rollingWindow = configuration.rollingWindow
        slowCallNanos = configuration.slowCalls.map { $0.durationThreshold.nanoseconds }
        slowCallRateThreshold = configuration.slowCalls.map(\.rateThreshold)
        backoff = configuration.backoff
        self.clock = clock
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
