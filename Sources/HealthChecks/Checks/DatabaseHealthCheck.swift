import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Pings a database connection; a ping that throws or hangs makes the database unhealthy.
///
/// Remembers the most recent failure so `/database/status` can show it after recovery.
public final class DatabaseHealthCheck: HealthCheck {
    /// A failed ping: its message and when it happened.
    public struct Failure: Sendable, Hashable {
        /// The error's description.
        public var message: String
        /// When the ping failed.
        public var date: Date
    }

    public let name: String
    public let isCritical: Bool
    public let timeout: Duration
    private let ping: @Sendable () async throws -> Void
    private let lastFailureBox = Mutex<Failure?>(nil)

    /// Creates a check named `name` (default `database`, shown as `database_status`) around `ping`.
    public init(
        name: String = "database",
        critical: Bool = true,
        timeout: Duration = .seconds(2),
        ping: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.isCritical = critical
        self.timeout = timeout
        self.ping = ping
    }

    /// The most recent failed ping, if any ever failed.
    public var lastFailure: Failure? { lastFailureBox.withLock { $0 } }

    /// Records a failure found outside `check()`, such as a timeout the registry enforced.
    public func recordFailure(_ message: String, at date: Date = Date()) {
        lastFailureBox.withLock { $0 = Failure(message: message, date: date) }
    }

    public func check() async throws -> HealthCheckOutcome {
        do {
            try await ping()
            return .healthy
        } catch {
            recordFailure(String(describing: error))
            return .unhealthy(String(describing: error))
        }
    }

    /// Keeps a failure the registry found (a timeout) that `check()` could not record.
    public func didFinish(with outcome: HealthCheckOutcome, at date: Date) {
        guard outcome.status == .unhealthy, lastFailure?.message != outcome.error else { return }
        recordFailure(outcome.error ?? "failed", at: date)
    }
}
