/// A ``HealthCheckOutcome`` together with which check produced it and how long it took.
public struct HealthCheckResult: Sendable {
    /// The check's name.
    public var name: String
    /// Whether the check is critical.
    public var isCritical: Bool
    /// What the check found; a timeout or a thrown error is `unhealthy`.
    public var outcome: HealthCheckOutcome
    /// How long the check ran (up to its timeout).
    public var latency: Duration

    /// Creates a result.
    public init(name: String, isCritical: Bool, outcome: HealthCheckOutcome, latency: Duration) {
        self.name = name
        self.isCritical = isCritical
        self.outcome = outcome
        self.latency = latency
    }

    /// Shorthand for `outcome.status`.
    public var status: HealthStatus { outcome.status }

    /// What this result contributes to the service's status.
    ///
    /// A failed non-critical check only degrades the service.
    public var contribution: HealthStatus {
        switch outcome.status {
        case .healthy: .healthy
        case .degraded: .degraded
        case .unhealthy: isCritical ? .unhealthy : .degraded
        }
    }
}
