import CircuitBreakers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TelemetryHTTPServer

@Suite struct CircuitBreakerRoutesTests {
    static let instant = Date(timeIntervalSince1970: 1_730_629_800)  // 2024-11-03T10:30:00Z

    static func makeApplication(registry: CircuitBreakerRegistry, adminToken: String?, mountPath: RouterPath = "") -> some ApplicationProtocol {
        let router = Router()
        CircuitBreakerRoutes<BasicRequestContext>(registry: registry, adminToken: adminToken, now: { instant })
            .addRoutes(to: router, atPath: mountPath)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func makeRegistry() -> CircuitBreakerRegistry {
        let registry = CircuitBreakerRegistry(service: "auth-service")
        let user = registry.breaker(named: "user-service")
        _ = registry.breaker(named: "catalog-service")
        for _ in 0..<6 { _ = try? user.execute { () throws -> Int in throw RouteTestFailure() } }
        return registry
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: ByteBuffer?) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try #require(body).readableBytesView))
    }

    @Test func statusListsEveryBreakerWithTheSeedShape() async throws {
        let registry = Self.makeRegistry()
        try await Self.makeApplication(registry: registry, adminToken: nil).test(.live) { client in
            try await client.execute(uri: "/circuit-breakers/status", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(CircuitBreakerStatusResponse.self, response.body)
                #expect(body.timestamp == "2024-11-03T10:30:00Z")
                #expect(body.circuitBreakers.map(\.hostService) == ["auth-service", "auth-service"])
                #expect(body.circuitBreakers.map(\.name) == ["catalog-service", "user-service"])
                #expect(body.circuitBreakers.map(\.state) == [.closed, .open])
                #expect(body.circuitBreakers.allSatisfy { $0.counts != nil && $0.stale == nil && $0.stateChanges == nil })
                let text = String(buffer: response.body)
                #expect(text.contains(#""state":"OPEN""#))
                #expect(text.contains(#""consecutive_failures":0"#))
                #expect(text.contains(#""next_probe_seconds""#))
                // One host key per breaker; the pipeline-only keys are absent, not null.
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect(Set(object.keys) == ["timestamp", "circuit_breakers"])
                let open = try #require((object["circuit_breakers"] as? [[String: Any]])?.last)
                #expect(
                    Set(open.keys) == [
                        "host_service", "name", "state", "guarded_service", "counts", "time_in_state_seconds", "next_probe_seconds", "isolated",
                        "generation",
                    ])
            }
        }
    }

    @Test func resetOneAllAndUnknown() async throws {
        let registry = Self.makeRegistry()
        try await Self.makeApplication(registry: registry, adminToken: nil).test(.live) { client in
            try await client.execute(uri: "/circuit-breakers/reset?service=user-service", method: .post) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(CircuitBreakerResetResponse.self, response.body)
                #expect(body.reset == ["user-service"])
                #expect(body.circuitBreakers.first?.state == .closed)
            }
            #expect(registry.existingBreaker(named: "user-service")?.state == .closed)
            try await client.execute(uri: "/circuit-breakers/reset?service=nobody", method: .post) { response in
                #expect(response.status == .notFound)
            }
            registry.breaker(named: "catalog-service").forceOpen()
            try await client.execute(uri: "/circuit-breakers/reset", method: .post) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(CircuitBreakerResetResponse.self, response.body)
                #expect(body.reset == ["catalog-service", "user-service"])
            }
            #expect(registry.statuses().allSatisfy { $0.state == .closed })
        }
    }

    @Test func resetRequiresTheBearerTokenWhenConfigured() async throws {
        let registry = Self.makeRegistry()
        try await Self.makeApplication(registry: registry, adminToken: "s3cret").test(.live) { client in
            try await client.execute(uri: "/circuit-breakers/reset?service=user-service", method: .post) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            try await client.execute(
                uri: "/circuit-breakers/reset?service=user-service",
                method: .post,
                headers: [.authorization: "Bearer wrong"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
            #expect(registry.existingBreaker(named: "user-service")?.state == .open, "a refused reset changes nothing")
            try await client.execute(
                uri: "/circuit-breakers/reset?service=user-service",
                method: .post,
                headers: [.authorization: "Bearer s3cret"]
            ) { response in
                #expect(response.status == .ok)
            }
            #expect(registry.existingBreaker(named: "user-service")?.state == .closed)
            try await client.execute(uri: "/circuit-breakers/status", method: .get) { response in
                #expect(response.status == .ok, "reading status needs no token")
            }
        }
    }

    @Test func mountsUnderTheGatewayPrefix() async throws {
        let registry = Self.makeRegistry()
        try await Self.makeApplication(registry: registry, adminToken: nil, mountPath: "/monitoring").test(.live) { client in
            try await client.execute(uri: "/monitoring/circuit-breakers", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.decode(CircuitBreakerStatusResponse.self, response.body)
                #expect(body.circuitBreakers.count == 2)
            }
            try await client.execute(uri: "/monitoring/circuit-breakers/reset", method: .post) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

private struct RouteTestFailure: Error {}
