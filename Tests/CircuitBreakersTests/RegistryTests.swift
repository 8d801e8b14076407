import CircuitBreakers
import MetricsTestKit
import TelemetryTesting
import Testing

@Suite struct RegistryTests {
    @Test func createsOnceAndListsSortedStatuses() {
        let registry = CircuitBreakerRegistry(service: "auth-service", clock: TestClock(), metricsFactory: TestMetrics())
        let user = registry.breaker(named: "user-service")
        #expect(registry.breaker(named: "user-service") === user)
        _ = registry.breaker(named: "catalog-service")
        user.fail(6)
        let statuses = registry.statuses()
        #expect(statuses.map(\.name) == ["catalog-service", "user-service"])
        #expect(statuses.map(\.state) == [.closed, .open])
        #expect(user.service == "auth-service")
    }

    @Test func resetsOneOrAll() {
        let registry = CircuitBreakerRegistry(service: "auth-service", clock: TestClock(), metricsFactory: TestMetrics())
        let a = registry.breaker(named: "a")
        let b = registry.breaker(named: "b")
        a.fail(6)
        b.fail(6)
        #expect(registry.reset(named: "a"))
        #expect(a.state == .closed)
        #expect(b.state == .open)
        #expect(!registry.reset(named: "missing"))
        registry.resetAll()
        #expect(b.state == .closed)
    }
}
