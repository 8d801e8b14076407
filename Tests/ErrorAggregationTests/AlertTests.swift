import ErrorAggregation
import Foundation
import MetricsTestKit
import Synchronization
import TelemetryTesting
import Testing

@Suite struct AlertTests {
    final class AlertLog: Sendable {
        let alerts = Mutex<[Alert]>([])
    }

    func makeAggregator(rule: AlertRule, clock: TestClock, log: AlertLog = AlertLog()) -> ErrorAggregator {
        ErrorAggregator(
            configuration: ErrorAggregator.Configuration(alertRules: [rule], onAlert: { alert in log.alerts.withLock { $0.append(alert) } }),
            clock: clock,
            startDate: Date(timeIntervalSince1970: 1_730_629_800),
            metricsFactory: TestMetrics()
        )
    }

    /// 10 requests with `errors` failures of `type` in `service`.
    func traffic(_ aggregator: ErrorAggregator, service: String = "catalog-service", errors: Int, type: ErrorType = .timeout) {
        for index in 0..<10 {
            aggregator.recordRequest(service: service)
            if index < errors { aggregator.record(service: service, type: type, message: "upstream timeout") }
        }
    }

    @Test func firesAfterTheDurationAndResolves() throws {
        let clock = TestClock()
        let log = AlertLog()
        let rule = AlertRule(name: "high-error-rate", errorRateAbove: 0.1, for: .seconds(120), window: .oneMinute, level: .warning)
        let aggregator = makeAggregator(rule: rule, clock: clock, log: log)

        traffic(aggregator, errors: 3)
        #expect(aggregator.evaluate().isEmpty, "the condition must hold for 2 minutes first")
        clock.advance(by: .seconds(60))
        traffic(aggregator, errors: 3)
        #expect(aggregator.evaluate().isEmpty)
        clock.advance(by: .seconds(60))
        traffic(aggregator, errors: 3)
        let fired = aggregator.evaluate()
        #expect(fired.count == 1)
        let alert = try #require(fired.first)
        #expect(alert.status == .firing)
        #expect(alert.level == .warning)
        #expect(alert.service == "catalog-service")
        #expect(alert.timestamp == "2024-11-03T10:30:00Z")
        #expect(alert.duration == "2m")
        #expect(alert.message == "Error rate 30.0% above 10.0% over 1m")
        #expect(aggregator.activeAlerts() == [alert])
        #expect(aggregator.stats().alerts.count == 1)
        #expect(aggregator.evaluate().isEmpty, "a firing alert is reported once")

        clock.advance(by: .seconds(60))
        traffic(aggregator, errors: 0)
        let resolved = aggregator.evaluate()
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.resolvedAt == "2024-11-03T10:33:00Z")
        #expect(resolved.first?.duration == "3m")
        #expect(aggregator.activeAlerts().isEmpty)
        #expect(aggregator.resolvedAlerts().count == 1)
        #expect(log.alerts.withLock { $0.map(\.status) } == [.firing, .resolved])
    }

    @Test func aDipBeforeTheDurationRestartsTheClock() {
        let clock = TestClock()
        let rule = AlertRule(name: "r", errorRateAbove: 0.1, for: .seconds(60))
        let aggregator = makeAggregator(rule: rule, clock: clock)
        traffic(aggregator, errors: 5)
        aggregator.evaluate()
        clock.advance(by: .seconds(61))
        traffic(aggregator, errors: 0)
        #expect(aggregator.evaluate().isEmpty)
        traffic(aggregator, errors: 5)
        aggregator.evaluate()
        clock.advance(by: .seconds(30))
        traffic(aggregator, errors: 5)
        #expect(aggregator.evaluate().isEmpty, "only 30 s above the threshold since the dip")
    }

    @Test func rulesCanWatchOneServiceAndOneType() {
        let clock = TestClock()
        let rule = AlertRule(name: "auth", errorRateAbove: 0.2, for: .zero, service: "auth-service", type: .authentication, level: .critical)
        let aggregator = makeAggregator(rule: rule, clock: clock)
        traffic(aggregator, service: "auth-service", errors: 5, type: .timeout)
        traffic(aggregator, service: "user-service", errors: 5, type: .authentication)
        #expect(aggregator.evaluate().isEmpty)
        traffic(aggregator, service: "auth-service", errors: 9, type: .authentication)
        let fired = aggregator.evaluate()
        #expect(fired.map(\.service) == ["auth-service"])
        #expect(fired.first?.level == .critical)
        #expect(fired.first?.message.hasSuffix("(authentication)") == true)
    }

    @Test func encodesLikeTheSeedDashboard() throws {
        let alert = Alert(
            level: .warning,
            service: "catalog-service",
            message: "High response time detected",
            timestamp: "2024-11-03T10:15:00Z",
            duration: "15m",
            rule: "latency",
            status: .firing
        )
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(alert)) as? [String: Any]
        #expect(object?["level"] as? String == "warning")
        #expect(object?["service"] as? String == "catalog-service")
        #expect(object?["timestamp"] as? String == "2024-11-03T10:15:00Z")
        #expect(object?["duration"] as? String == "15m")
    }
}
