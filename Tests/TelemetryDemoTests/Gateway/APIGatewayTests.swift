import Foundation
import NIOHTTP1
import TelemetryCore
import TelemetryDemo
import TelemetryHTTPServer
import TelemetryTesting
import Testing

@Suite("api-gateway routing")
struct APIGatewayTests {
    @Test("user CRUD goes through the gateway to the user-service's database")
    func crudThroughGateway() async throws {
        try await DemoHarness.run { demo in
            let token = try await demo.login()

            let created = try await demo.send(.POST, demo.gateway + "/api/v1/users", json: ["name": "Ada", "email": "ada@example.com"], token: token)
            #expect(created.status == 201, "\(created.text)")
            let user = try created.decode(User.self)
            #expect(try await demo.system.store.user(id: user.id)?.email == "ada@example.com")

            let fetched = try await demo.send(.GET, demo.gateway + "/api/v1/users/\(user.id)")
            #expect(fetched.status == 200)
            #expect(try fetched.decode(User.self).name == "Ada")

            let updated = try await demo.send(
                .PUT, demo.gateway + "/api/v1/users/\(user.id)", json: ["name": "Ada L.", "email": "ada@example.com"], token: token)
            #expect(updated.status == 200)
            #expect(try await demo.system.store.user(id: user.id)?.name == "Ada L.")

            let listed = try await demo.send(.GET, demo.gateway + "/api/v1/users?limit=10")
            #expect(try listed.decode([User].self).map(\.email).contains("ada@example.com"))

            let deleted = try await demo.send(.DELETE, demo.gateway + "/api/v1/users/\(user.id)", token: token)
            #expect(deleted.status == 204)
            #expect(try await demo.system.store.user(id: user.id) == nil)
            #expect(try await demo.send(.GET, demo.gateway + "/api/v1/users/\(user.id)").status == 404)
        }
    }

    @Test("bad input, credentials and roles are answered with the seed's error types")
    func clientErrors() async throws {
        try await DemoHarness.run { demo in
            let admin = try await demo.login()
            let invalid = try await demo.send(.POST, demo.gateway + "/api/v1/users", json: ["name": "X", "email": "nope"], token: admin)
            #expect(invalid.status == 400)
            #expect(try invalid.json()["type"] as? String == "validation")

            let duplicate = try await demo.send(.POST, demo.gateway + "/api/v1/users", json: ["name": "Twin", "email": "admin@example.com"], token: admin)
            #expect(duplicate.status == 409)

            let anonymous = try await demo.send(.POST, demo.gateway + "/api/v1/users", json: ["name": "Anon", "email": "anon@example.com"])
            #expect(anonymous.status == 401)

            let wrongPassword = try await demo.send(.POST, demo.gateway + "/api/v1/auth/login", json: ["email": "admin@example.com", "password": "guess"])
            #expect(wrongPassword.status == 401)

            _ = try await demo.send(.POST, demo.gateway + "/api/v1/users", json: ["name": "Bob", "email": "bob@example.com"], token: admin)
            let bob = try await demo.login("bob@example.com")
            let forbidden = try await demo.send(.DELETE, demo.gateway + "/api/v1/users/1", token: bob)
            #expect(forbidden.status == 403)
            #expect(try forbidden.json()["type"] as? String == "authorization")

            let stats = try await demo.send(.GET, demo.gateway + "/monitoring/errors/stats").json()
            let byType = try #require(stats["by_type"] as? [String: Double])
            for type in ["validation", "authentication", "authorization"] {
                #expect((byType[type] ?? 0) >= 1, "gateway error stats lack \(type): \(byType)")
            }
        }
    }

    @Test("a login is one trace across api-gateway, auth-service and user-service")
    func traceCrossesAllServices() async throws {
        try await DemoHarness.run { demo in
            _ = try await demo.login()
            let crossed = await demo.eventually {
                let spans = demo.spans.spans
                let byTrace = Dictionary(grouping: spans, by: \.traceID)
                return byTrace.values.contains { trace in
                    Set(trace.map(\.resource.serviceName)).isSuperset(of: ["api-gateway", "auth-service", "user-service"])
                }
            }
            #expect(crossed)
            let spans = demo.spans.spans
            let login = try #require(spans.first { $0.name == "POST /api/v1/auth/login" && $0.resource.serviceName == "api-gateway" && $0.kind == .server })
            let trace = spans.filter { $0.traceID == login.traceID }
            let userServer = try #require(trace.first { $0.resource.serviceName == "user-service" && $0.kind == .server })
            // The user-service span's parent is the auth-service's client span.
            let parent = try #require(trace.first { $0.spanID == userServer.parentSpanID })
            #expect(parent.resource.serviceName == "auth-service")
            #expect(parent.kind == .client)
        }
    }

    @Test("the seed's monitoring endpoints answer on the gateway")
    func monitoringEndpoints() async throws {
        try await DemoHarness.run { demo in
            _ = try await demo.send(.GET, demo.gateway + "/api/v1/users")
            let dashboard = try await demo.send(.GET, demo.gateway + "/monitoring/health/dashboard").json()
            let gateway = try #require(dashboard["gateway"] as? [String: Any])
            #expect(gateway["name"] as? String == "api-gateway")
            #expect(gateway["status"] as? String == "healthy")
            let services = try #require(dashboard["services"] as? [String: [String: Any]])
            #expect(services["user-service"]?["circuit_breaker"] as? String == "CLOSED")
            let breakers = try await demo.send(.GET, demo.gateway + "/monitoring/circuit-breakers")
            #expect(breakers.status == 200)
            let board = try JSONDecoder().decode(CircuitBreakerStatusResponse.self, from: Data(breakers.text.utf8))
            #expect(board.circuitBreakers.map(\.hostService) == ["api-gateway", "api-gateway"])
            #expect(board.circuitBreakers.map(\.name) == ["auth-service", "user-service"])
            #expect(try await demo.send(.GET, demo.gateway + "/monitoring/errors/details").status == 200)
            let metrics = try await demo.send(.GET, demo.gateway + "/metrics").text
            #expect(metrics.contains("http_requests_total"))
            #expect(metrics.contains("circuit_breaker_state"))
            #expect(try await demo.send(.GET, demo.gateway + "/monitoring/metrics").text.contains("http_requests_total"))
        }
    }
}
