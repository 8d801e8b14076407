#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The service's health at one moment: every check's result and the aggregate status.
public struct HealthReport: Sendable {
    /// When the checks ran.
    public var timestamp: Date
    /// The service version reported alongside.
    public var version: String
    /// One result per registered check, in registration order.
    public var results: [HealthCheckResult]

    /// Creates a report.
    public init(timestamp: Date, version: String, results: [HealthCheckResult]) {
        self.timestamp = timestamp
        self.version = version
        self.results = results
    }

    /// `healthy` when every check passes; `unhealthy` when a critical check fails;
    /// `degraded` otherwise (a non-critical check failed or a check reported degraded).
    public var status: HealthStatus {
        results.map(\.contribution).max() ?? .healthy
    }

    /// Whether every critical check passes, the readiness probe's question.
    public var isReady: Bool {
        !results.contains { $0.isCritical && $0.status == .unhealthy }
    }

    /// The result of the check named `name`.
    public func result(named name: String) -> HealthCheckResult? {
        results.first { $0.name == name }
    }
}
