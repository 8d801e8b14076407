import CircuitBreakers
import HealthChecks
import Synchronization
import Testing

@testable import TelemetryHTTPServer

@Suite struct CircuitBreakerHealthCheckTests {
    @Test func watchesARealBreakerFromClosedToOpen() async throws {
        let breaker = CircuitBreaker(name: "user-service", clock: ContinuousClock())
        let health = HealthRegistry(configuration: .init(cacheTTL: .zero, version: "v1.0.0"))
        health.register(CircuitBreakerHealthCheck(breaker: breaker, critical: true))

        try breaker.allow().succeeded()
        var report = await health.report()
        #expect(report.status == .healthy)
        let closed = try #require(report.results.first?.outcome.circuitBreaker)
        #expect(closed.state == .closed)
        #expect(closed.counts.requests == 1 && closed.counts.totalSuccesses == 1)

        for _ in 0..<20 {
            guard let permit = try? breaker.allow() else { break }
            permit.failed()
        }
        report = await health.report()
        #expect(report.status == .unhealthy)
        #expect(report.results.first?.outcome.summary == "OPEN")
    }

    @Test func registryChecksHonourCriticalNames() async {
        let registry = CircuitBreakerRegistry(clock: ContinuousClock())
        let payments = registry.breaker(named: "payments")
        _ = registry.breaker(named: "recommendations")
        let health = HealthRegistry(configuration: .init(cacheTTL: .zero))
        for check in CircuitBreakerHealthCheck.checks(for: registry, critical: ["payments"]) { health.register(check) }
        #expect(Set(health.checkNames) == ["payments", "recommendations"])
        #expect(health.check(named: "payments")?.isCritical == true)
        #expect(health.check(named: "recommendations")?.isCritical == false)
        _ = payments
        #expect(await health.report().status == .healthy)
    }

    @Test func registryCheckTakesTheWorstBreakerAndListsThemAll() async throws {
        let registry = CircuitBreakerRegistry(clock: ContinuousClock())
        let payments = registry.breaker(named: "payments")
        let recommendations = registry.breaker(named: "recommendations")
        let check = CircuitBreakerRegistryHealthCheck(registry: registry, critical: ["payments"])
        var outcome = try await check.check()
        #expect(outcome.status == .healthy)
        #expect(outcome.summary == "CLOSED")
        #expect(outcome.circuitBreakers.map(\.name) == ["payments", "recommendations"])

        recommendations.forceOpen()
        outcome = try await check.check()
        #expect(outcome.status == .degraded)
        #expect(outcome.summary == "OPEN")

        payments.forceOpen()
        outcome = try await check.check()
        #expect(outcome.status == .unhealthy)
        #expect(outcome.error?.contains("payments is open") == true)

        _ = registry.breaker(named: "search")
        #expect(try await check.check().circuitBreakers.count == 3)
    }

    @Test func breakerStatesMapToHealth() async {
        let state = Mutex(CircuitBreaker.State.closed)
        let health = HealthRegistry(configuration: .init(cacheTTL: .zero, version: "v1.0.0"))
        health.register(
            CircuitBreakerHealthCheck(name: "user-service", critical: true) {
                CircuitBreakerStatus(name: "user-service", state: state.withLock { $0 }, counts: .init(requests: 10, totalFailures: 2))
            }
        )
        var report = await health.report()
        #expect(report.status == .healthy)
        #expect(report.results[0].outcome.summary == "CLOSED")
        #expect(report.results[0].outcome.circuitBreaker?.counts.requests == 10)

        state.withLock { $0 = .halfOpen }
        report = await health.report()
        #expect(report.status == .degraded)
        #expect(report.results[0].outcome.summary == "HALF_OPEN")

        state.withLock { $0 = .open }
        #expect(await health.report().status == .unhealthy)
    }

    @Test func aNonCriticalOpenBreakerOnlyDegrades() async {
        let health = HealthRegistry(configuration: .init(cacheTTL: .zero, version: "v1.0.0"))
        health.register(CircuitBreakerHealthCheck(name: "recommendations", critical: false) { .init(name: "recommendations", state: .open) })
        let report = await health.report()
        #expect(report.status == .degraded)
        #expect(report.isReady)
    }
}
