import Synchronization
import Testing

@testable import HealthChecks

/// A switchable dependency for flipping health states.
final class Switch: Sendable {
    private let value: Mutex<HealthCheckOutcome>
    init(_ outcome: HealthCheckOutcome = .healthy) { value = Mutex(outcome) }
    func set(_ outcome: HealthCheckOutcome) { value.withLock { $0 = outcome } }
    var outcome: HealthCheckOutcome { value.withLock { $0 } }
}

struct PingFailed: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}

@Suite struct HealthRegistryTests {
    func registry(ttl: Duration = .zero) -> HealthRegistry {
        HealthRegistry(configuration: .init(cacheTTL: ttl, version: "v1.0.0"))
    }

    @Test func statusFollowsTheSeedsRules() async {
        let critical = Switch()
        let optional = Switch()
        let health = registry()
        health.register(ClosureHealthCheck(name: "database", critical: true) { critical.outcome })
        health.register(ClosureHealthCheck(name: "cache", critical: false) { optional.outcome })

        #expect(await health.report().status == .healthy)

        optional.set(.unhealthy("cache down"))
        var report = await health.report()
        #expect(report.status == .degraded)
        #expect(report.isReady)

        critical.set(.unhealthy("database down"))
        report = await health.report()
        #expect(report.status == .unhealthy)
        #expect(!report.isReady)

        critical.set(.healthy)
        optional.set(.healthy)
        #expect(await health.report().status == .healthy)
    }

    @Test func aHungCheckFailsAtItsTimeoutAndOthersStillReport() async {
        let health = registry()
        health.register(
            ClosureHealthCheck(name: "stuck", critical: true, timeout: .milliseconds(200)) {
                // Ignores cancellation on purpose: the registry must not wait for it.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return .healthy
            }
        )
        health.register(ClosureHealthCheck(name: "fine", critical: true) { .healthy })

        let report = await health.report()
        #expect(report.status == .unhealthy)
        let stuck = report.result(named: "stuck")
        #expect(stuck?.status == .unhealthy)
        #expect(stuck?.outcome.error?.contains("did not answer") == true)
        #expect(report.result(named: "fine")?.status == .healthy)
    }

    @Test func aThrowingCheckIsUnhealthyWithItsError() async {
        let health = registry()
        let database = DatabaseHealthCheck { throw PingFailed() }
        health.register(database)
        let report = await health.report()
        #expect(report.status == .unhealthy)
        #expect(report.result(named: "database")?.outcome.error == "connection refused")
        #expect(database.lastFailure?.message == "connection refused")
    }

    @Test func databaseCheckRemembersTheLastFailureAfterRecovery() async {
        let failing = Mutex(true)
        let database = DatabaseHealthCheck { if failing.withLock({ $0 }) { throw PingFailed() } }
        let health = registry()
        health.register(database)
        #expect(await health.report().status == .unhealthy)
        failing.withLock { $0 = false }
        let report = await health.report()
        #expect(report.status == .healthy)
        #expect(report.result(named: "database")?.outcome.error == nil)
        #expect(database.lastFailure?.message == "connection refused")
    }

    @Test func resultsAreCachedForTheTTL() async {
        let clock = ManualClock()
        let runs = Mutex(0)
        let health = HealthRegistry(configuration: .init(cacheTTL: .seconds(5)), clock: clock)
        health.register(
            ClosureHealthCheck(name: "counted") {
                runs.withLock { $0 += 1 }
                return .healthy
            })
        _ = await health.report()
        _ = await health.report()
        #expect(runs.withLock { $0 } == 1)
        clock.advance(by: .seconds(4))
        _ = await health.report()
        #expect(runs.withLock { $0 } == 1)
        clock.advance(by: .seconds(2))
        _ = await health.report()
        #expect(runs.withLock { $0 } == 2)
        _ = await health.refresh()
        #expect(runs.withLock { $0 } == 3)
    }

    @Test func resultsKeepRegistrationOrderAndReplaceByName() async {
        let health = registry()
        health.register(ClosureHealthCheck(name: "b") { .healthy })
        health.register(ClosureHealthCheck(name: "a") { .healthy })
        health.register(ClosureHealthCheck(name: "b", critical: false) { .unhealthy("x") })
        let report = await health.report()
        #expect(report.results.map(\.name) == ["b", "a"])
        #expect(report.status == .degraded)
        #expect(report.version == "v1.0.0")
    }
}
