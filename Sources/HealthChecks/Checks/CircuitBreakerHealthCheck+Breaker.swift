import CircuitBreaker

extension CircuitBreakerSnapshot {
    /// The snapshot of a breaker's current status.
    public init(_ status: CircuitBreakerStatus) {
        let state: State =
            switch status.state {
            case .closed: .closed
            case .halfOpen: .halfOpen
            case .open: .open
            }
        self.init(
            name: status.name,
            state: state,
            counts: Counts(
                requests: UInt64(status.counts.requests),
                totalSuccesses: UInt64(status.counts.totalSuccesses),
                totalFailures: UInt64(status.counts.totalFailures),
                consecutiveSuccesses: UInt64(status.counts.consecutiveSuccesses),
                consecutiveFailures: UInt64(status.counts.consecutiveFailures)
            )
        )
    }
}

extension CircuitBreakerHealthCheck {
    /// A check watching `breaker`, named after it (shown as `<name>_status` in `/health`).
    public init(breaker: CircuitBreaker, critical: Bool = true) {
        self.init(name: breaker.name, critical: critical) { CircuitBreakerSnapshot(breaker.status()) }
    }

    /// One check per breaker in `registry`, for those registered now; `critical` names the
    /// breakers whose opening makes the service unhealthy (the rest only degrade it).
    public static func checks(for registry: CircuitBreakerRegistry, critical: Set<String>) -> [CircuitBreakerHealthCheck] {
        registry.statuses().map { status in
            let name = status.name
            return CircuitBreakerHealthCheck(name: name, critical: critical.contains(name)) {
                guard let breaker = registry.existingBreaker(named: name) else { throw BreakerMissing(name: name) }
                return CircuitBreakerSnapshot(breaker.status())
            }
        }
    }
}

/// A breaker that was watched has left its registry.
struct BreakerMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "circuit breaker \(name) is no longer registered" }
}
