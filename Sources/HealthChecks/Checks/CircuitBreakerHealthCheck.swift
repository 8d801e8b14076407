/// Reports a circuit breaker's state: closed passes, half-open degrades, open fails.
///
/// An open breaker makes the service unhealthy when the check is critical and degraded
/// otherwise. The snapshot comes from a closure so any breaker implementation can be watched.
public struct CircuitBreakerHealthCheck: HealthCheck {
    public let name: String
    public let isCritical: Bool
    public let timeout: Duration
    private let snapshot: @Sendable () async throws -> CircuitBreakerSnapshot

    /// Creates a check named `name` over the breaker `snapshot` describes.
    public init(
        name: String,
        critical: Bool = true,
        timeout: Duration = .seconds(1),
        snapshot: @escaping @Sendable () async throws -> CircuitBreakerSnapshot
    ) {
        self.name = name
        self.isCritical = critical
        self.timeout = timeout
        self.snapshot = snapshot
    }

    public func check() async throws -> HealthCheckOutcome {
        let breaker = try await snapshot()
        let status: HealthStatus
        let error: String?
        switch breaker.state {
        case .closed:
            (status, error) = (.healthy, nil)
        case .halfOpen:
            (status, error) = (.degraded, "circuit breaker \(breaker.name) is half-open")
        case .open:
            (status, error) = (.unhealthy, "circuit breaker \(breaker.name) is open")
        }
        return HealthCheckOutcome(status: status, summary: breaker.state.rawValue, error: error, circuitBreaker: breaker)
    }
}
