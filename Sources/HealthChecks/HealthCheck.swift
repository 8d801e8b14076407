#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One thing a service depends on, checked on demand by a ``HealthRegistry``.
///
/// A check that throws, returns ``HealthStatus/unhealthy`` or outlives its ``timeout`` has
/// failed. A failed critical check makes the service unhealthy; a failed non-critical check,
/// or any check reporting ``HealthStatus/degraded``, makes it degraded.
public protocol HealthCheck: Sendable {
    /// The check's name; `/health` reports it as `<name>_status`. Unique within a registry.
    var name: String { get }
    /// Whether the service cannot work without this dependency. Default `true`.
    var isCritical: Bool { get }
    /// How long the check may take before it counts as failed. Default 2 seconds.
    var timeout: Duration { get }
    /// Probes the dependency. Should return promptly when its task is cancelled.
    func check() async throws -> HealthCheckOutcome
    /// Told the outcome the registry settled on, including a timeout or cancellation that
    /// `check()` itself never saw. Default: nothing.
    func didFinish(with outcome: HealthCheckOutcome, at date: Date)
}

extension HealthCheck {
    public var isCritical: Bool { true }
    public var timeout: Duration { .seconds(2) }
    public func didFinish(with outcome: HealthCheckOutcome, at date: Date) {}
}
