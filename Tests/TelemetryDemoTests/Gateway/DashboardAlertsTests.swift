import CircuitBreakers
import Foundation
import NIOHTTP1
import TelemetryDemo
import Testing

@Suite("gateway dashboard alerts")
struct DashboardAlertsTests {
    @Test("an outage of the user-service raises the seed's open-breaker alert on the dashboard; recovery clears it")
    func outageRaisesAlert() async throws {
        try await DemoHarness.run(configure: { $0.breaker.timeout = .seconds(60) }) { demo in
            let quiet = try await demo.send(.GET, demo.gateway + "/monitoring/health/dashboard").json()
            #expect((quiet["alerts"] as? [Any])?.isEmpty == true, "\(quiet)")

            demo.system.chaos.start(.fail, for: .seconds(60))
            for _ in 0..<5 { _ = try await demo.send(.GET, demo.gateway + "/api/v1/users/1") }
            var alerts: [[String: Any]] = []
            let raised = try await demo.eventually {
                alerts = try await demo.send(.GET, demo.gateway + "/monitoring/health/dashboard").json()["alerts"] as? [[String: Any]] ?? []
                return alerts.contains { $0["service"] as? String == "user-service" }
            }
            #expect(raised, "\(alerts)")
            let alert = try #require(alerts.first { $0["service"] as? String == "user-service" })
            #expect(alert["level"] as? String == "critical")
            for key in ["message", "timestamp", "duration"] { #expect(alert[key] is String, "\(key) missing in \(alert)") }

            demo.system.chaos.stop()
            _ = try await demo.send(.POST, demo.gateway + "/monitoring/circuit-breakers/reset?service=user-service")
            let cleared = try await demo.eventually {
                let body = try await demo.send(.GET, demo.gateway + "/monitoring/health/dashboard").json()
                return (body["alerts"] as? [[String: Any]] ?? []).allSatisfy { $0["service"] as? String != "user-service" }
            }
            #expect(cleared)
        }
    }
}
