/// What a single run of a ``HealthCheck`` found.
public struct HealthCheckOutcome: Sendable {
    /// The dependency's state.
    public var status: HealthStatus
    /// The short value `/health` shows under `details.<name>_status`; defaults to the status name.
    public var summary: String
    /// Why the check did not pass, when it did not.
    public var error: String?
    /// What the check watched, in full, for the service's `/health` body to show (a circuit
    /// breaker's status, say). The registry carries these without looking inside, so checks
    /// of any kind can be added without this module knowing their types.
    public var attachments: [any Sendable]

    /// Creates an outcome; `summary` defaults to the status' raw value.
    public init(status: HealthStatus, summary: String? = nil, error: String? = nil, attachments: [any Sendable] = []) {
        self.status = status
        self.summary = summary ?? status.rawValue
        self.error = error
        self.attachments = attachments
    }

    /// The dependency works.
    public static let healthy = HealthCheckOutcome(status: .healthy)

    /// The dependency works with reduced capacity.
    public static func degraded(_ reason: String) -> Self { Self(status: .degraded, error: reason) }

    /// The dependency does not work.
    public static func unhealthy(_ reason: String) -> Self { Self(status: .unhealthy, error: reason) }
}
