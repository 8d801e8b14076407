import ErrorAggregation
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TelemetryCore
import Testing

@testable import TelemetryHTTPServer

@Suite struct ErrorRoutesTests {
    static func makeApplication(aggregator: ErrorAggregator) -> some ApplicationProtocol {
        let router = Router()
        ErrorRoutes<BasicRequestContext>(aggregator: aggregator).addRoutes(to: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func makeAggregator() -> ErrorAggregator {
        let aggregator = ErrorAggregator()
        for _ in 0..<100 { aggregator.recordRequest(service: "auth-service") }
        for _ in 0..<50 { aggregator.recordRequest(service: "user-service") }
        for id in 0..<3 {
            aggregator.record(service: "auth-service", type: .authentication, message: "token \(id) expired", traceID: TraceID(high: 1, low: UInt64(id + 1)))
        }
        aggregator.record(service: "user-service", type: .notFound, message: "user 9 not found")
        aggregator.record(service: "user-service", type: .timeout, message: "db timeout after 30s")
        return aggregator
    }

    static func json(_ body: ByteBuffer?) throws -> [String: Any] {
        let data = Data(try #require(body).readableBytesView)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func statsReportsTotalsAndRatesByServiceTypeAndSeverity() async throws {
        try await Self.makeApplication(aggregator: Self.makeAggregator()).test(.live) { client in
            try await client.execute(uri: "/monitoring/errors/stats", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["total_errors"] as? Double == 5)
                #expect(body["total_requests"] as? Double == 150)
                #expect((body["by_type"] as? [String: Double])?["authentication"] == 3)
                #expect((body["by_severity"] as? [String: Double])?["high"] == 1)
                let services = try #require(body["services"] as? [String: Any])
                let auth = try #require(services["auth-service"] as? [String: Any])
                #expect((auth["error_rates"] as? [String: Double])?["authentication"] == 0.03)
                #expect((body["windows"] as? [String: Any])?.keys.sorted() == ["1h", "1m", "5m"])
            }
        }
    }

    @Test func detailsFiltersLimitsAndValidates() async throws {
        try await Self.makeApplication(aggregator: Self.makeAggregator()).test(.live) { client in
            try await client.execute(uri: "/monitoring/errors/details", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response.body)
                #expect(body["total_groups"] as? Int == 3)
                let groups = try #require(body["groups"] as? [[String: Any]])
                #expect(groups.first?["message"] as? String == "db timeout after <n>s", "newest first")
            }
            try await client.execute(uri: "/monitoring/errors/details?service=auth-service&type=authentication", method: .get) { response in
                let groups = try #require(try Self.json(response.body)["groups"] as? [[String: Any]])
                #expect(groups.count == 1)
                #expect(groups.first?["count"] as? Double == 3)
                #expect(groups.first?["message"] as? String == "token <n> expired")
                let samples = try #require(groups.first?["samples"] as? [[String: Any]])
                #expect(samples.first?["trace_id"] as? String == TraceID(high: 1, low: 3).hexString)
            }
            try await client.execute(uri: "/monitoring/errors/details?limit=1", method: .get) { response in
                let body = try Self.json(response.body)
                #expect((body["groups"] as? [Any])?.count == 1)
                #expect(body["total_groups"] as? Int == 3)
            }
            try await client.execute(uri: "/monitoring/errors/details?type=bogus", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/monitoring/errors/details?limit=0", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
