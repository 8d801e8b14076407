import CircuitBreakers
import ErrorAggregation
import TelemetryCore
import TelemetryHTTPServer
import TelemetryMetrics
import TelemetryTesting
import Testing

/// `ServiceTelemetry`'s breakers follow the seed's `CIRCUIT_BREAKER_*` variables and its
/// alerts the `ALERT_*` variables.
@Suite struct ServiceTelemetryBreakerTests {
    struct Failure: Error {}

    @Test func breakersFollowTheSeedsVariables() throws {
        let clock = TestClock()
        let telemetry = try ServiceTelemetry(
            serviceName: "auth-service",
            environment: [
                "CIRCUIT_BREAKER_MAX_REQUESTS": "2", "CIRCUIT_BREAKER_INTERVAL": "45s",
                "CIRCUIT_BREAKER_TIMEOUT": "7s", "CIRCUIT_BREAKER_FAILURE_THRESHOLD": "2",
            ],
            clock: clock
        ) { _ in InMemorySpanExporter() }
        let defaults = telemetry.breakers.defaultConfiguration
        #expect(defaults.maxRequests == 2)
        #expect(defaults.interval == .seconds(45))
        #expect(defaults.timeout == .seconds(7))
        #expect(telemetry.breakers.service == "auth-service")

        // FAILURE_THRESHOLD=2: the second consecutive failure trips a breaker made with the defaults.
        let breaker = telemetry.breakers.breaker(named: "user-client", guarding: "user-service")
        _ = try? breaker.execute { () throws -> Int in throw Failure() }
        #expect(breaker.state == .closed)
        _ = try? breaker.execute { () throws -> Int in throw Failure() }
        #expect(breaker.state == .open)
        // TIMEOUT=7s on the injected clock.
        clock.advance(by: .seconds(8))
        #expect(breaker.state == .halfOpen)

        // The open breaker was an alert while it lasted; evaluation reads the registry.
        breaker.forceOpen()
        telemetry.alerts.evaluate()
        #expect(telemetry.alerts.activeAlerts().map(\.service) == ["user-service"])
    }

    @Test func withoutVariablesTheBreakerDefaultsApply() throws {
        let telemetry = try ServiceTelemetry(serviceName: "svc", environment: [:]) { _ in InMemorySpanExporter() }
        #expect(telemetry.breakers.defaultConfiguration.maxRequests == CircuitBreaker.Configuration.default.maxRequests)
        #expect(telemetry.breakers.defaultConfiguration.timeout == CircuitBreaker.Configuration.default.timeout)
    }

    @Test func anUnusableBreakerOrAlertVariableIsNamed() {
        #expect {
            _ = try ServiceTelemetry(environment: ["CIRCUIT_BREAKER_TIMEOUT": "soon"]) { _ in InMemorySpanExporter() }
        } throws: { String(describing: $0).contains("CIRCUIT_BREAKER_TIMEOUT") }
        #expect {
            _ = try ServiceTelemetry(environment: ["ALERT_ERROR_RATE_THRESHOLD": "150%"]) { _ in InMemorySpanExporter() }
        } throws: { String(describing: $0).contains("ALERT_ERROR_RATE_THRESHOLD") }
    }
}
