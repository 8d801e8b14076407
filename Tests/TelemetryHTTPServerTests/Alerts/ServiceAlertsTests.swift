import CircuitBreakers
import ErrorAggregation
import HealthChecks
import Synchronization
import TelemetryMetrics
import TelemetryTesting
import Testing

@testable import TelemetryHTTPServer

@Suite struct ServiceAlertsTests {
    /// Inputs the test sets by hand.
    final class Inputs: Sendable {
        let latency = Mutex<Duration?>(nil)
        let breakers = Mutex<[CircuitBreakerStatus]>([])
    }

    static func make(_ configuration: ServiceAlerts.Configuration = .default) -> (ServiceAlerts, Inputs, TestClock, ErrorAggregator) {
        let clock = TestClock()
        let inputs = Inputs()
        let errors = ErrorAggregator(configuration: configuration.errorAggregator, clock: clock, metricsFactory: PrometheusMetricsBackend().factory)
        let alerts = ServiceAlerts(
            configuration: configuration, errors: errors,
            responseTimes: { ["checkout": inputs.latency.withLock { $0 }].compactMapValues { $0 } },
            breakers: { inputs.breakers.withLock { $0 } },
            clock: clock
        )
        return (alerts, inputs, clock, errors)
    }

    @Test func highResponseTimeFiresOnlyAfterItsDurationAndResolves() {
        let (alerts, inputs, clock, _) = Self.make()
        inputs.latency.withLock { $0 = .milliseconds(800) }
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty)
        clock.advance(by: .seconds(29))
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty)
        clock.advance(by: .seconds(1))
        alerts.evaluate()
        let fired = alerts.activeAlerts()
        #expect(fired.map(\.rule) == [ServiceAlerts.highResponseTime])
        #expect(fired.first?.service == "checkout")
        #expect(fired.first?.level == .warning)
        #expect(fired.first?.duration == "30s")
        #expect(fired.first?.message.contains("800ms") == true)

        inputs.latency.withLock { $0 = .milliseconds(100) }
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty)
    }

    @Test func anOpenBreakerAlertsAtOnceNamingTheGuardedService() {
        let (alerts, inputs, _, _) = Self.make()
        var status = CircuitBreakerStatus(name: "user-client", state: .open)
        status.guardedService = "user-service"
        inputs.breakers.withLock { $0 = [status, CircuitBreakerStatus(name: "billing", state: .closed)] }
        alerts.evaluate()
        let fired = alerts.activeAlerts()
        #expect(fired.map(\.rule) == [ServiceAlerts.circuitBreakerOpen])
        #expect(fired.first?.service == "user-service")
        #expect(fired.first?.level == .critical)
        #expect(fired.first?.message.contains("user-client") == true)

        inputs.breakers.withLock { $0 = [] }
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty)
    }

    @Test func highErrorRateComesFromTheAggregatorRule() {
        var configuration = ServiceAlerts.Configuration.default
        configuration.errorRateFor = .zero
        configuration.errorRateThreshold = 0.5
        let (alerts, _, _, errors) = Self.make(configuration)
        for index in 0..<10 {
            errors.recordRequest(service: "checkout")
            if index < 4 { errors.record(service: "checkout", type: .internal, message: "boom") }
        }
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty, "40% is under the 50% threshold")
        for _ in 0..<4 {
            errors.recordRequest(service: "checkout")
            errors.record(service: "checkout", type: .timeout, message: "slow")
        }
        alerts.evaluate()
        #expect(alerts.activeAlerts().map(\.rule) == [ServiceAlerts.highErrorRate])
    }

    @Test func disabledAlertsNeverFire() {
        var configuration = ServiceAlerts.Configuration.default
        configuration.enabled = false
        let (alerts, inputs, _, _) = Self.make(configuration)
        inputs.breakers.withLock { $0 = [CircuitBreakerStatus(name: "user-client", state: .open)] }
        alerts.evaluate()
        #expect(alerts.activeAlerts().isEmpty)
        #expect(configuration.errorRateRules.isEmpty)
    }

    @Test func readsThresholdsFromTheEnvironment() throws {
        let configuration = try ServiceAlerts.Configuration(environment: [
            "ALERT_ERROR_RATE_THRESHOLD": "0.05", "ALERT_ERROR_RATE_FOR": "2m",
            "ALERT_RESPONSE_TIME_THRESHOLD": "250ms", "ALERT_RESPONSE_TIME_FOR": "0",
            "ALERT_CIRCUIT_BREAKER_OPEN_FOR": "10s", "ALERTS_ENABLED": "true",
        ])
        #expect(configuration.errorRateThreshold == 0.05)
        #expect(configuration.errorRateFor == .seconds(120))
        #expect(configuration.responseTimeThreshold == .milliseconds(250))
        #expect(configuration.responseTimeFor == .zero)
        #expect(configuration.breakerOpenFor == .seconds(10))
        #expect(try ServiceAlerts.Configuration(environment: [:]) == .default)
    }

    @Test(arguments: [
        ("ALERT_ERROR_RATE_THRESHOLD", "5"), ("ALERT_ERROR_RATE_THRESHOLD", "nan"), ("ALERT_RESPONSE_TIME_FOR", "soon"), ("ALERTS_ENABLED", "maybe"),
    ])
    func rejectsUnusableValuesNamingTheVariable(name: String, value: String) {
        #expect {
            _ = try ServiceAlerts.Configuration(environment: [name: value])
        } throws: { error in
            String(describing: error).contains("\(name)=\"\(value)\"")
        }
    }

    @Test func responseTimesAverageTheMostRecentRequests() {
        let times = ResponseTimes(capacity: 2)
        #expect(times.mean == nil)
        times.record(.milliseconds(100))
        times.record(.milliseconds(300))
        #expect(times.mean == .milliseconds(200))
        times.record(.milliseconds(500))
        #expect(times.mean == .milliseconds(400))
    }
}
