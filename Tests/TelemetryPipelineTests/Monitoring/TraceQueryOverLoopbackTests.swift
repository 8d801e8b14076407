import Foundation
import Testing

@testable import TelemetryPipeline

/// Spans received over OTLP/HTTP are found through Jaeger's query API on the monitoring endpoint.
@Suite("trace query API over loopback HTTP", .serialized)
struct TraceQueryOverLoopbackTests {
    static let yaml = RunningDaemon.yaml
        .replacingOccurrences(of: "  debug: {}", with: "  debug: {}\n  tracestore: {max_bytes: 16777216, retention: 10m}")
        .replacingOccurrences(of: "exporters: [debug, prometheus]", with: "exporters: [debug, prometheus, tracestore]")

    /// One OTLP/JSON request: `frontend` GET /cart calling `cart` GET /items, which failed.
    static func body(trace: String, now: UInt64) -> [UInt8] {
        func span(_ id: String, parent: String?, name: String, kind: Int, offsetMs: UInt64, ms: UInt64, error: Bool) -> String {
            let start = now + offsetMs * 1_000_000
            return """
                {"traceId":"\(trace)","spanId":"\(id)",\(parent.map { "\"parentSpanId\":\"\($0)\"," } ?? "")"name":"\(name)","kind":\(kind),
                 "startTimeUnixNano":"\(start)","endTimeUnixNano":"\(start + ms * 1_000_000)",
                 "status":{"code":\(error ? 2 : 0)}}
                """
        }
        func resource(_ service: String, _ spans: [String]) -> String {
            """
            {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"\(service)"}}]},
             "scopeSpans":[{"scope":{"name":"test"},"spans":[\(spans.joined(separator: ","))]}]}
            """
        }
        let frontend = resource("frontend", [span("00000000000000a1", parent: nil, name: "GET /cart", kind: 2, offsetMs: 0, ms: 50, error: false)])
        let cart = resource("cart", [span("00000000000000b2", parent: "00000000000000a1", name: "GET /items", kind: 2, offsetMs: 5, ms: 30, error: true)])
        return Array(#"{"resourceSpans":[\#(frontend),\#(cart)]}"#.utf8)
    }

    @Test("received spans are listed, searchable by the error tag and returned by ID with parent references")
    func receiveThenQuery() async throws {
        try await RunningDaemon.with(yaml: Self.yaml, decoders: .standard) { daemon in
            let now = UInt64(Date().timeIntervalSince1970 * 1e9)
            let trace = "5b8efff798038103d269b633813fc60c"
            let reply = try await TestHTTP.send(daemon.otlp, body: Self.body(trace: trace, now: now), headers: ["Content-Type": "application/json"])
            #expect(reply.status == 200)

            // The batch processor flushes within 50 ms; wait for both services, bounded.
            var services: [String] = []
            for _ in 0..<100 where services.count < 2 {
                try await Task.sleep(for: .milliseconds(20))
                let json = try JSONSerialization.jsonObject(with: Data(try await TestHTTP.get(daemon.monitoring + "/api/services").body.utf8))
                services = (json as? [String: Any])?["data"] as? [String] ?? []
            }
            #expect(services == ["cart", "frontend"])

            let failed = try await TestHTTP.get(daemon.monitoring + "/api/traces?service=cart&tags=%7B%22error%22%3A%22true%22%7D")
            #expect(failed.status == 200)
            #expect(failed.headers["content-type"] == "application/json")
            let found = try #require(try JSONSerialization.jsonObject(with: Data(failed.body.utf8)) as? [String: Any])
            #expect((found["data"] as? [[String: Any]])?.first?["traceID"] as? String == trace)
            #expect(try await TestHTTP.get(daemon.monitoring + "/api/traces?service=frontend&tags=%7B%22error%22%3A%22true%22%7D").body.contains("\"total\":0"))

            let byID = try #require(
                try JSONSerialization.jsonObject(with: Data(try await TestHTTP.get(daemon.monitoring + "/api/traces/\(trace)").body.utf8)) as? [String: Any])
            let spans = try #require((byID["data"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])
            #expect(spans.count == 2)
            let child = try #require(spans.first { $0["operationName"] as? String == "GET /items" })
            #expect((child["references"] as? [[String: String]])?.first?["spanID"] == "00000000000000a1")
            #expect(child["duration"] as? Int == 30_000)

            let bad = try await TestHTTP.get(daemon.monitoring + "/api/traces?service=cart&minDuration=soon")
            #expect(bad.status == 400)
            #expect(bad.body.contains("unable to parse param 'minDuration'"))
            let missing = try await TestHTTP.get(daemon.monitoring + "/api/traces/0123")
            #expect(missing.status == 404)
        }
    }
}
