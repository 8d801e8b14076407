import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The set of checks a service runs to answer `/health`, `/ready` and `/database/status`.
///
/// Checks run concurrently, each bounded by its own timeout, so one hung dependency costs at
/// most its timeout and never blocks the endpoint. Reports are cached for
/// ``Configuration/cacheTTL``; callers arriving while checks run share that run.
public final class HealthRegistry: Sendable {
    private struct State {
        var checks: [any HealthCheck] = []
        var cached: (report: HealthReport, at: Duration)?
        var inFlight: Task<HealthReport, Never>?
        var generation = 0
    }

    /// The registry's settings.
    public let configuration: Configuration
    private let state = Mutex(State())
    private let elapsed: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void
    private let wallClock: @Sendable () -> Date

    /// Creates an empty registry.
    ///
    /// - Parameters:
    ///   - clock: measures check latency, cache age and timeouts.
    ///   - wallClock: stamps reports.
    public init<C: Clock<Duration>>(
        configuration: Configuration = .default,
        clock: C = ContinuousClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.sleep = { try await clock.sleep(for: $0) }
        self.wallClock = wallClock
    }

    /// Adds a check; a check with the same name replaces the earlier one.
    public func register(_ check: any HealthCheck) {
        state.withLock { state in
            if let index = state.checks.firstIndex(where: { $0.name == check.name }) {
                state.checks[index] = check
            } else {
                state.checks.append(check)
            }
            state.cached = nil
            state.generation += 1
        }
    }

    /// The names of the registered checks, in registration order.
    public var checkNames: [String] {
        state.withLock { $0.checks.map(\.name) }
    }

    /// The registered check named `name`.
    public func check(named name: String) -> (any HealthCheck)? {
        state.withLock { $0.checks.first { $0.name == name } }
    }

    /// The current report, from the cache when it is younger than ``Configuration/cacheTTL``.
    public func report() async -> HealthReport {
        enum Next {
            case cached(HealthReport)
            case wait(Task<HealthReport, Never>)
        }
        let now = elapsed()
        let next: Next = self.state.withLock { state in
            if let cached = state.cached, now - cached.at < configuration.cacheTTL {
                return .cached(cached.report)
            }
            if let running = state.inFlight { return .wait(running) }
            let checks = state.checks
            let generation = state.generation
            let task = Task { [self] in
                let report = await run(checks)
                let finished = elapsed()
                self.state.withLock { state in
                    state.inFlight = nil
                    if state.generation == generation { state.cached = (report, finished) }
                }
                return report
            }
            state.inFlight = task
            return .wait(task)
        }
        switch next {
        case .cached(let report): return report
        case .wait(let task): return await task.value
        }
    }

    /// Runs every check now, ignoring and replacing the cache.
    public func refresh() async -> HealthReport {
        state.withLock { $0.cached = nil }
        return await report()
    }

    private func run(_ checks: [any HealthCheck]) async -> HealthReport {
        let timestamp = wallClock()
        let results = await withTaskGroup(of: (Int, HealthCheckResult).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await self.run(check)) }
            }
            var results = [HealthCheckResult?](repeating: nil, count: checks.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        return HealthReport(timestamp: timestamp, version: configuration.version, results: results)
    }

    /// Runs one check against its timeout; the check's task is cancelled, not awaited, when the
    /// timeout wins, so a check that ignores cancellation cannot hold up the report.
    func run(_ check: any HealthCheck) async -> HealthCheckResult {
        let start = elapsed()
        let timeout = check.timeout
        let outcome = await FirstOf<HealthCheckOutcome>.race(
            { () async -> HealthCheckOutcome in
                do {
                    return try await check.check()
                } catch {
                    return .unhealthy(String(describing: error))
                }
            },
            fallback: { [sleep] () async -> HealthCheckOutcome? in
                do { try await sleep(timeout) } catch { return nil }
                return .unhealthy("\(check.name) did not answer within \(timeout)")
            },
            whenCancelled: .unhealthy("\(check.name) was cancelled")
        )
        check.didFinish(with: outcome, at: wallClock())
        return HealthCheckResult(name: check.name, isCritical: check.isCritical, outcome: outcome, latency: elapsed() - start)
    }
}
