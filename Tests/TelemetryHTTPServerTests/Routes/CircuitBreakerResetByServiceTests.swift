import CircuitBreakers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TelemetryHTTPServer

/// The seed's `POST /circuit-breakers/reset?service=user-service` names the guarded service,
/// while the auth-service's breaker in front of it is called `user-client`.
@Suite struct CircuitBreakerResetByServiceTests {
    static func openRegistry() -> CircuitBreakerRegistry {
        let registry = CircuitBreakerRegistry(service: "auth-service")
        let userClient = registry.breaker(named: "user-client", guarding: "user-service")
        _ = registry.breaker(named: "billing-client", guarding: "billing-service")
        userClient.forceOpen()
        registry.breaker(named: "billing-client").forceOpen()
        return registry
    }

    @Test func resetsTheBreakerGuardingTheServiceOnlyWithTheToken() async throws {
        let registry = Self.openRegistry()
        let application = CircuitBreakerRoutesTests.makeApplication(registry: registry, adminToken: "s3cret")
        try await application.test(.live) { client in
            let uri = "/circuit-breakers/reset?service=user-service"
            try await client.execute(uri: uri, method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            #expect(registry.existingBreaker(named: "user-client")?.state == .open)
            try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer s3cret"]) { response in
                #expect(response.status == .ok)
                let body = try CircuitBreakerRoutesTests.decode(CircuitBreakerResetResponse.self, response.body)
                #expect(body.reset == ["user-client"])
                #expect(body.circuitBreakers.map(\.guardedService) == ["user-service"])
                #expect(body.circuitBreakers.map(\.state) == [.closed])
            }
        }
        #expect(registry.existingBreaker(named: "user-client")?.state == .closed)
        // The breaker guarding another service is left alone.
        #expect(registry.existingBreaker(named: "billing-client")?.state == .open)
    }

    @Test func aBreakerNameStillWorksAndAnUnknownServiceIs404() async throws {
        let registry = Self.openRegistry()
        try await CircuitBreakerRoutesTests.makeApplication(registry: registry, adminToken: nil).test(.live) { client in
            try await client.execute(uri: "/circuit-breakers/reset?service=billing-client", method: .post) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/circuit-breakers/reset?service=catalog-service", method: .post) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("catalog-service"))
            }
        }
        #expect(registry.existingBreaker(named: "billing-client")?.state == .closed)
        #expect(registry.existingBreaker(named: "user-client")?.state == .open)
    }

    @Test func statusReportsTheGuardedService() async throws {
        let registry = Self.openRegistry()
        _ = registry.breaker(named: "inventory")
        let guarded = Dictionary(uniqueKeysWithValues: registry.statuses().map { ($0.name, $0.guardedService) })
        #expect(guarded == ["billing-client": "billing-service", "inventory": "inventory", "user-client": "user-service"])
        #expect(registry.breakers(guarding: "user-service").map(\.name) == ["user-client"])
    }
}
