import CircuitBreakers

/// What a single run of a ``HealthCheck`` found.
public struct HealthCheckOutcome: Sendable, Hashable {
    /// The dependency's state.
    public var status: HealthStatus
    /// The short value `/health` shows under `details.<name>_status`; defaults to the status name.
    public var summary: String
    /// Why the check did not pass, when it did not.
    public var error: String?
    /// The breakers the check watched, in name order; empty for checks of other kinds.
    public var circuitBreakers: [CircuitBreakerStatus]

    /// The first watched breaker, for checks that watch exactly one.
    public var circuitBreaker: CircuitBreakerStatus? {
        get { circuitBreakers.first }
        set { circuitBreakers = newValue.map { [$0] } ?? [] }
    }

    /// Creates an outcome; `summary` defaults to the status' raw value.
    public init(status: HealthStatus, summary: String? = nil, error: String? = nil, circuitBreaker: CircuitBreakerStatus? = nil) {
        self.init(status: status, summary: summary, error: error, circuitBreakers: circuitBreaker.map { [$0] } ?? [])
    }

    /// Creates an outcome for a check that watched several breakers.
    public init(status: HealthStatus, summary: String? = nil, error: String? = nil, circuitBreakers: [CircuitBreakerStatus]) {
        self.status = status
        self.summary = summary ?? status.rawValue
        self.error = error
        self.circuitBreakers = circuitBreakers
    }

    /// The dependency works.
    public static let healthy = HealthCheckOutcome(status: .healthy)

    /// The dependency works with reduced capacity.
    public static func degraded(_ reason: String) -> Self { Self(status: .degraded, error: reason) }

    /// The dependency does not work.
    public static func unhealthy(_ reason: String) -> Self { Self(status: .unhealthy, error: reason) }
}
