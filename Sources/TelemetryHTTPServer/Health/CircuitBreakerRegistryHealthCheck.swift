import CircuitBreakers
import HealthChecks

/// Watches every breaker of a registry, including those registered after the check.
///
/// The outcome lists every breaker (so `/health` shows them all) and takes the worst of
/// them: an open breaker named in `critical` makes the service unhealthy, any other open
/// or half-open breaker degrades it. Shown in `/health` as `circuit_breaker_status` by default.
public struct CircuitBreakerRegistryHealthCheck: HealthCheck {
    public let name: String
    /// Always critical: the check decides itself which open breakers only degrade.
    public var isCritical: Bool { true }
    public let timeout: Duration
    /// Breakers whose opening makes the service unhealthy.
    public let criticalBreakers: Set<String>
    private let statuses: @Sendable () -> [CircuitBreakerStatus]

    /// Creates a check over `registry`.
    ///
    /// - Parameters:
    ///   - name: The check's name. Default `circuit_breaker`.
    ///   - critical: Names of the breakers whose opening makes the service unhealthy.
    public init(
        registry: CircuitBreakerRegistry,
        name: String = "circuit_breaker",
        critical: Set<String>,
        timeout: Duration = .seconds(1)
    ) {
        self.init(name: name, critical: critical, timeout: timeout) { registry.statuses() }
    }

    /// Creates a check over the breakers `statuses` lists.
    public init(
        name: String = "circuit_breaker",
        critical: Set<String>,
        timeout: Duration = .seconds(1),
        statuses: @escaping @Sendable () -> [CircuitBreakerStatus]
    ) {
        self.name = name
        self.criticalBreakers = critical
        self.timeout = timeout
        self.statuses = statuses
    }

    public func check() async throws -> HealthCheckOutcome {
        let breakers = statuses().sorted { $0.name < $1.name }
        var status = HealthStatus.healthy
        var errors: [String] = []
        for breaker in breakers {
            let (own, error) = CircuitBreakerHealthCheck.health(of: breaker)
            let contribution: HealthStatus = own == .unhealthy && !criticalBreakers.contains(breaker.name) ? .degraded : own
            status = max(status, contribution)
            if let error { errors.append(error) }
        }
        let worst = breakers.map(\.state).max { $0.metricValue < $1.metricValue } ?? .closed
        return HealthCheckOutcome(
            status: status,
            summary: worst.rawValue,
            error: errors.isEmpty ? nil : errors.joined(separator: "; "),
            circuitBreakers: breakers
        )
    }
}
