import CircuitBreakers
import Foundation
import NIOHTTP1
import TelemetryDemo
import TelemetryTesting
import Testing

@Suite("gateway circuit breaker")
struct GatewayCircuitBreakerTests {
    @Test("user-service failures open the gateway's breaker, degrade /health, and recovery closes it")
    func opensAndCloses() async throws {
        try await DemoHarness.run(configure: {
            $0.breaker.timeout = .milliseconds(300)
        }) { demo in
            let breaker = try #require(demo.system.gatewayBreakers.existingBreaker(named: "user-service"))
            demo.system.chaos.start(.fail, for: .seconds(60))
            for _ in 0..<5 {
                #expect(try await demo.send(.GET, demo.gateway + "/api/v1/users/1").status == 503)
            }
            #expect(breaker.state == .open)

            let rejected = try await demo.send(.GET, demo.gateway + "/api/v1/users/1")
            #expect(rejected.status == 503)
            #expect(try rejected.json()["type"] as? String == "circuit_breaker")

            let health = try await demo.send(.GET, demo.gateway + "/health").json()
            #expect(["degraded", "unhealthy"].contains(health["status"] as? String ?? ""), "\(health)")
            let details = try #require(health["details"] as? [String: String])
            #expect(details["user_service_status"] == "OPEN")

            let stats = try await demo.send(.GET, demo.gateway + "/monitoring/errors/stats").json()
            let byType = try #require(stats["by_type"] as? [String: Double])
            #expect((byType["circuit_breaker"] ?? 0) >= 1)
            #expect((byType["service_unavailable"] ?? 0) >= 5)

            demo.system.chaos.stop()
            let closed = try await demo.eventually {
                _ = try await demo.send(.GET, demo.gateway + "/api/v1/users/1")
                return breaker.state == .closed
            }
            #expect(closed)
            let recovered = try await demo.eventually {
                try await demo.send(.GET, demo.gateway + "/health").json()["status"] as? String == "healthy"
            }
            #expect(recovered)
        }
    }

    @Test("a stalled user-service is a timeout at the gateway")
    func stallIsTimeout() async throws {
        try await DemoHarness.run(configure: {
            $0.downstreamTimeout = .milliseconds(200)
            $0.chaosStall = .milliseconds(800)
        }) { demo in
            demo.system.chaos.start(.stall, for: .seconds(30))
            let reply = try await demo.send(.GET, demo.gateway + "/api/v1/users/1")
            #expect(reply.status == 504)
            #expect(try reply.json()["type"] as? String == "timeout")
        }
    }

    @Test("a database fault is a real database error, answered 500")
    func databaseFault() async throws {
        try await DemoHarness.run { demo in
            demo.system.chaos.start(.database, for: .seconds(30))
            let reply = try await demo.send(.GET, demo.userService + "/api/v1/users/1")
            #expect(reply.status == 500)
            let body = try reply.json()
            #expect(body["type"] as? String == "internal")
            #expect((body["error"] as? String ?? "").contains("chaos_missing_table"))
        }
    }

    @Test("the auth-service serves its user-client breaker and resets it")
    func authBreakerEndpoints() async throws {
        try await DemoHarness.run { demo in
            let breaker = try #require(demo.system.authBreakers.existingBreaker(named: "user-client"))
            breaker.forceOpen()
            let status = try await demo.send(.GET, demo.authService + "/circuit-breakers/status").json()
            let list = try #require(status["circuit_breakers"] as? [[String: Any]])
            #expect(list.first?["state"] as? String == "OPEN")
            // Hosted by the auth-service, guarding the user-service (the seed's `circuit_breaker.service`).
            #expect(list.first?["host_service"] as? String == "auth-service")
            #expect(list.first?["guarded_service"] as? String == "user-service")
            let health = try await demo.send(.GET, demo.authService + "/health").json()
            #expect((health["circuit_breaker"] as? [String: Any])?["state"] as? String == "OPEN")

            #expect(try await demo.send(.POST, demo.authService + "/circuit-breakers/reset?service=user-client").status == 200)
            #expect(breaker.state == .closed)
        }
    }
}
