import CircuitBreakers
import HealthChecks

/// Reports a circuit breaker's state: closed passes, half-open degrades, open fails.
///
/// An open breaker makes the service unhealthy when the check is critical and degraded
/// otherwise. The status comes from a closure so any breaker implementation can be watched.
public struct CircuitBreakerHealthCheck: HealthCheck {
    public let name: String
    public let isCritical: Bool
    public let timeout: Duration
    private let snapshot: @Sendable () async throws -> CircuitBreakerStatus

    /// Creates a check named `name` over the breaker `snapshot` describes.
    public init(
        name: String,
        critical: Bool = true,
        timeout: Duration = .seconds(1),
        snapshot: @escaping @Sendable () async throws -> CircuitBreakerStatus
    ) {
        self.name = name
        self.isCritical = critical
        self.timeout = timeout
        self.snapshot = snapshot
    }

    public func check() async throws -> HealthCheckOutcome {
        let breaker = try await snapshot()
        let (status, error) = Self.health(of: breaker)
        return HealthCheckOutcome(status: status, summary: breaker.state.rawValue, error: error, circuitBreakers: [breaker])
    }

    /// A breaker's own contribution: closed passes, half-open degrades, open fails.
    static func health(of breaker: CircuitBreakerStatus) -> (HealthStatus, String?) {
        switch breaker.state {
        case .closed: (.healthy, nil)
        case .halfOpen: (.degraded, "circuit breaker \(breaker.name) is half-open")
        case .open: (.unhealthy, "circuit breaker \(breaker.name) is open")
        }
    }
}
