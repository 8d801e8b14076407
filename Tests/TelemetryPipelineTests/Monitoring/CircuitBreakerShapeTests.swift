import CircuitBreakers
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TelemetryHTTPServer
import Testing

@testable import TelemetryPipeline

/// `GET /monitoring/circuit-breakers` has one shape whether a gateway serves it from its own
/// breakers or the pipeline from their spans: both bodies decode as ``CircuitBreakerStatusResponse``
/// and carry no key that type does not know.
@Suite("one /monitoring/circuit-breakers shape", .serialized)
struct CircuitBreakerShapeTests {
    static let protobuf = ["Content-Type": "application/x-protobuf"]

    /// Decodes `body` as the shared type and checks that re-encoding it loses no key: a key
    /// renamed or added on one side only fails here.
    static func decodeStrictly(_ body: String) throws -> CircuitBreakerStatusResponse {
        let data = Data(body.utf8)
        let decoded = try JSONDecoder().decode(CircuitBreakerStatusResponse.self, from: data)
        let original = try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        let again = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(decoded)) as? NSDictionary)
        #expect(original == again, "keys the shared type does not know: \(body)")
        return decoded
    }

    /// The gateway's body: its registry's routes mounted at `/monitoring`, as `APIGateway` mounts them.
    static func gatewayBody() async throws -> String {
        let registry = CircuitBreakerRegistry(service: "api-gateway")
        registry.breaker(named: "user-service").forceOpen()
        let router = Router()
        CircuitBreakerRoutes<BasicRequestContext>(registry: registry, adminToken: nil).addRoutes(to: router, atPath: "/monitoring")
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/monitoring/circuit-breakers", method: .get) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
        }
    }

    @Test("the gateway's and the pipeline's bodies decode with one type, with the same common keys")
    func oneShape() async throws {
        let gateway = try Self.decodeStrictly(try await Self.gatewayBody())
        let gatewayBreaker = try #require(gateway.circuitBreakers.first)
        #expect(gatewayBreaker.hostService == "api-gateway")
        #expect(gatewayBreaker.name == "user-service")
        #expect(gatewayBreaker.state == .open)
        #expect(gatewayBreaker.counts != nil && gatewayBreaker.isolated != nil && gatewayBreaker.guardedService == "user-service")
        #expect(gatewayBreaker.stale == nil && gatewayBreaker.stateChanges == nil && gatewayBreaker.lastReport == nil)
        #expect(try Date(gateway.timestamp, strategy: .iso8601) > .distantPast)

        try await RunningDaemon.with { daemon in
            let sent = try await TestHTTP.send(
                daemon.otlp, body: Array("spans:1;service:api-gateway;trip:user-service".utf8), headers: Self.protobuf)
            #expect(sent.status == 200)
            var pipeline: CircuitBreakerStatusResponse?
            for _ in 0..<100 where pipeline?.circuitBreakers.isEmpty ?? true {
                try await Task.sleep(for: .milliseconds(50))
                pipeline = try Self.decodeStrictly(try await TestHTTP.get(daemon.monitoring + "/monitoring/circuit-breakers").body)
            }
            let body = try #require(pipeline)
            let breaker = try #require(body.circuitBreakers.first)
            // The same breaker, heard of through its spans, under the same keys.
            #expect(breaker.hostService == gatewayBreaker.hostService)
            #expect(breaker.name == gatewayBreaker.name)
            #expect(breaker.state == gatewayBreaker.state)
            #expect(breaker.stale == false && breaker.stateChanges == 1 && breaker.rejected == 0)
            #expect(breaker.lastReport != nil && breaker.lastChange != nil)
            #expect(breaker.counts == nil && breaker.guardedService == nil)
            #expect(try Date(body.timestamp, strategy: .iso8601) > .distantPast)
        }
    }
}
