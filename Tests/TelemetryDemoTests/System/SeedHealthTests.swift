import CircuitBreakers
import Foundation
import NIOHTTP1
import TelemetryDemo
import Testing

/// Each service's `/health` against the seed's "Health Check Response" example.
@Suite("the seed's /health on each demo service")
struct SeedHealthTests {
    @Test("user-service reports database_status; auth-service circuit_breaker_status and user_service_status")
    func detailKeys() async throws {
        try await DemoHarness.run { demo in
            let user = try await demo.send(.GET, demo.userService + "/health").json()
            #expect(user["status"] as? String == "healthy")
            #expect(user["version"] as? String == "v1.0.0")
            #expect(user["timestamp"] is String)
            #expect((user["details"] as? [String: String])?["database_status"] == "healthy")

            let auth = try await demo.send(.GET, demo.authService + "/health").json()
            let details = try #require(auth["details"] as? [String: String])
            #expect(details["circuit_breaker_status"] == "CLOSED")
            #expect(details["user_service_status"] == "CLOSED")
            let breaker = try #require(auth["circuit_breaker"] as? [String: Any])
            #expect(breaker["service"] as? String == "user-service")
            #expect(breaker["name"] as? String == "user-client")
            #expect(breaker["state"] as? String == "CLOSED")
            let counts = try #require(breaker["counts"] as? [String: Any])
            for key in ["requests", "total_successes", "total_failures", "consecutive_successes", "consecutive_failures"] {
                #expect(counts[key] is Int, "counts.\(key) missing in \(counts)")
            }

            let gateway = try await demo.send(.GET, demo.gateway + "/health").json()
            let gatewayDetails = try #require(gateway["details"] as? [String: String])
            #expect(gatewayDetails["circuit_breaker_status"] == "CLOSED")
            #expect(gatewayDetails["user_service_status"] == "CLOSED")
            #expect(gatewayDetails["auth_service_status"] == "CLOSED")
        }
    }

    @Test("an open user-client breaker shows in the auth-service's details, and reset?service=user-service closes it")
    func openAndResetByGuardedService() async throws {
        try await DemoHarness.run { demo in
            let breaker = try #require(demo.system.authBreakers.existingBreaker(named: "user-client"))
            breaker.forceOpen()
            let auth = try await demo.send(.GET, demo.authService + "/health").json()
            let details = try #require(auth["details"] as? [String: String])
            #expect(details["circuit_breaker_status"] == "OPEN")
            #expect(details["user_service_status"] == "OPEN")
            #expect(auth["status"] as? String == "degraded")

            let reset = try await demo.send(.POST, demo.authService + "/circuit-breakers/reset?service=user-service")
            #expect(reset.status == 200, "\(reset.text)")
            #expect(try reset.json()["reset"] as? [String] == ["user-client"])
            #expect(breaker.state == .closed)
        }
    }
}
