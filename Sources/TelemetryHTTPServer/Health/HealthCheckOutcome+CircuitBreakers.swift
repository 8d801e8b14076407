import CircuitBreakers
import HealthChecks

extension HealthCheckOutcome {
    /// Creates an outcome for a check that watched `circuitBreakers`, which `/health` lists.
    public init(status: HealthStatus, summary: String? = nil, error: String? = nil, circuitBreakers: [CircuitBreakerStatus]) {
        self.init(status: status, summary: summary, error: error, attachments: circuitBreakers)
    }

    /// The breakers the check watched, in the order it listed them; empty for other checks.
    public var circuitBreakers: [CircuitBreakerStatus] { attachments.compactMap { $0 as? CircuitBreakerStatus } }

    /// The first watched breaker, for checks that watch exactly one.
    public var circuitBreaker: CircuitBreakerStatus? { circuitBreakers.first }
}
