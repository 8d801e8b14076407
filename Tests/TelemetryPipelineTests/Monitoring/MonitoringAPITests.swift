import Foundation
import Testing

@testable import TelemetryPipeline

@Suite("monitoring API over loopback HTTP", .serialized)
struct MonitoringAPITests {
    static let protobuf = ["Content-Type": "application/x-protobuf"]

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("probes, dashboard, error endpoints and the scrape endpoint reflect received spans")
    func endpoints() async throws {
        try await RunningDaemon.with { daemon in
            let reply1 = try await TestHTTP.get(daemon.monitoring + "/live")
            #expect(reply1.status == 200)
            let reply2 = try await TestHTTP.get(daemon.monitoring + "/ready")
            #expect(reply2.status == 200)
            let sent = try await TestHTTP.send(daemon.otlp, body: Array("spans:40;service:user-service".utf8), headers: Self.protobuf)
            #expect(sent.status == 200)
            // Wait for the batch timeout to pass the spans through the processors.
            var scraped = ""
            for _ in 0..<100 where !scraped.contains("user-service") {
                try await Task.sleep(for: .milliseconds(50))
                scraped = try await TestHTTP.get(daemon.prometheus).body
            }
            #expect(
                scraped.contains(
                    "traces_span_metrics_calls_total{service_name=\"user-service\",span_name=\"GET /internal\",span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_UNSET\"} 40"
                ))
            #expect(scraped.contains("pipeline_receiver_accepted_spans_total{receiver=\"otlp\"} 40"))
            #expect(scraped.contains("service_health_status{service=\"user-service\"} 0"))

            let dashboard = try Self.object(try await TestHTTP.get(daemon.monitoring + "/monitoring/health/dashboard").body)
            let gateway = try #require(dashboard["gateway"] as? [String: Any])
            #expect(gateway["name"] as? String == "telemetry-pipeline")
            #expect((gateway["requests"] as? [String: Any])?["total"] as? Int == 40)
            #expect((gateway["requests"] as? [String: Any])?["rate"] as? String == "100.0%")
            let services = try #require(dashboard["services"] as? [String: Any])
            let user = try #require(services["user-service"] as? [String: Any])
            #expect(user["status"] as? String == "healthy")
            #expect(user["circuit_breaker"] as? String == "CLOSED")
            #expect(user["response_time"] as? String == "20ms" || user["response_time"] as? String == "21ms")

            let stats = try Self.object(try await TestHTTP.get(daemon.monitoring + "/monitoring/errors/stats").body)
            #expect(stats["total_requests"] as? Double == 40)
            let reply3 = try await TestHTTP.get(daemon.monitoring + "/monitoring/errors/details?limit=5")
            #expect(reply3.status == 200)
            let reply4 = try await TestHTTP.get(daemon.monitoring + "/monitoring/circuit-breakers")
            #expect(reply4.status == 200)
            let breakers = try Self.object(reply4.body)
            #expect(Set(breakers.keys) == ["timestamp", "circuit_breakers"])
            #expect((breakers["circuit_breakers"] as? [Any])?.isEmpty == true)
            let reply5 = try await TestHTTP.get(daemon.monitoring + "/monitoring/metrics")
            #expect(reply5.body.contains("# TYPE traces_span_metrics_calls_total counter"))
        }
    }

    @Test("the dashboard lists each service's requests and breakers, with their staleness")
    func dashboardListsBreakers() async throws {
        try await RunningDaemon.with { daemon in
            let body = Array("spans:30;service:auth-service;trip:user-client".utf8)
            #expect(try await TestHTTP.send(daemon.otlp, body: body, headers: Self.protobuf).status == 200)
            var auth: [String: Any] = [:]
            for _ in 0..<100 where auth["circuit_breakers"] == nil {
                try await Task.sleep(for: .milliseconds(50))
                let dashboard = try Self.object(try await TestHTTP.get(daemon.monitoring + "/monitoring/health/dashboard").body)
                auth = (dashboard["services"] as? [String: Any])?["auth-service"] as? [String: Any] ?? [:]
            }
            #expect(auth["requests"] as? Int == 30, "the breaker's state-change span is not a request")
            #expect(auth["circuit_breaker"] as? String == "OPEN")
            let breakers = try #require(auth["circuit_breakers"] as? [[String: Any]])
            #expect(breakers.count == 1)
            #expect(breakers.first?["name"] as? String == "user-client")
            #expect(breakers.first?["state"] as? String == "OPEN")
            #expect(breakers.first?["stale"] as? Bool == false)
        }
    }

    @Test("weighted counts become whole numbers without trapping, however large a sender's weights")
    func wholeNumbersSaturate() {
        // 128 spans at th:ffffffffffffff (p = 2^-56) weigh 2^63.
        #expect(MonitoringAPI.whole(128 * 72_057_594_037_927_936.0) == Int.max)
        #expect(MonitoringAPI.whole(.infinity) == Int.max)
        #expect(MonitoringAPI.whole(.nan) == 0)
        #expect(MonitoringAPI.whole(41.6) == 42)
    }

    @Test("breaker reset needs the admin token")
    func resetIsTokenGuarded() async throws {
        try await RunningDaemon.with(environment: ["CIRCUIT_BREAKER_ADMIN_TOKEN": "s3cret"]) { daemon in
            let url = daemon.monitoring + "/monitoring/circuit-breakers/reset?service=auth-service"
            let reply6 = try await TestHTTP.send(url)
            #expect(reply6.status == 401)
            let reply7 = try await TestHTTP.send(url, headers: ["Authorization": "Bearer nope"])
            #expect(reply7.status == 401)
            let ok = try await TestHTTP.send(url, headers: ["Authorization": "Bearer s3cret"])
            #expect(ok.status == 200)
            #expect(ok.body.contains("\"reset\":0"))
        }
        try await RunningDaemon.with { daemon in
            let reply8 = try await TestHTTP.send(daemon.monitoring + "/monitoring/circuit-breakers/reset")
            #expect(reply8.status == 403)
        }
    }
}
