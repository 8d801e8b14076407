import Foundation
import Testing

@testable import TelemetryPipeline

@Suite("limits over loopback HTTP", .serialized)
struct LimitsOverLoopbackTests {
    static let yaml = RunningDaemon.yaml
        .replacingOccurrences(of: "spanmetrics: {}", with: "spanmetrics: {aggregation_cardinality_limit: 2}")
        .replacingOccurrences(of: "health: {}", with: "health: {max_services: 2}")

    @Test("a daemon configured with small limits serves overflow series and an overflow dashboard entry, with exact totals")
    func overflowEndToEnd() async throws {
        try await RunningDaemon.with(yaml: Self.yaml) { daemon in
            for service in ["alpha", "beta", "gamma", "delta", "epsilon"] {
                let reply = try await TestHTTP.send(
                    daemon.otlp, body: Array("spans:10;service:\(service)".utf8), headers: ["Content-Type": "application/x-protobuf"])
                #expect(reply.status == 200)
            }
            var scraped = ""
            for _ in 0..<100 where !scraped.contains("traces_span_metrics_calls_total{otel_metric_overflow=\"true\"} 30\n") {
                try await Task.sleep(for: .milliseconds(50))
                scraped = try await TestHTTP.get(daemon.prometheus).body
            }
            let calls = scraped.split(separator: "\n").filter { $0.hasPrefix("traces_span_metrics_calls_total{") }
            #expect(calls.count == 3)
            #expect(scraped.contains("traces_span_metrics_calls_total{otel_metric_overflow=\"true\"} 30\n"))
            #expect(scraped.contains("pipeline_metric_series_overflow_total{metric=\"traces_span_metrics_calls_total\"}"))
            #expect(scraped.split(separator: "\n").filter { $0.hasPrefix("service_health_status{") }.count == 3)
            #expect(scraped.contains("service_health_status{otel_metric_overflow=\"true\"} 0\n"))

            let body = try await TestHTTP.get(daemon.monitoring + "/monitoring/health/dashboard").body
            let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let services = try #require(dashboard["services"] as? [String: Any])
            #expect(services.count == 3)
            let overflow = try #require(services[HealthBoard.overflowService] as? [String: Any])
            #expect(overflow["overflow"] as? Bool == true)
        }
    }
}
