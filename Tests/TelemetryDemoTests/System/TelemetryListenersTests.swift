import Foundation
import NIOHTTP1
import TelemetryHTTPServer
import TelemetryMetrics
import Testing

@testable import TelemetryDemo

@Suite("each demo service's metrics and health listeners")
struct TelemetryListenersTests {
    @Test("METRICS_* and HEALTH_* give every service its own listeners, ports offset by 0, 1 and 2")
    func portsFromTheEnvironment() throws {
        let configuration = try DemoSystem.Configuration(environment: [
            "METRICS_PORT": "9190", "METRICS_PATH": "/prom", "HEALTH_PORT": "8190", "HEALTH_PATH": "/healthz",
        ])
        let ports = try (0..<3).map { offset in try configuration.telemetryServer(offset: offset) }
        #expect(ports.map(\.metrics.port) == [9190, 9191, 9192])
        #expect(ports.map(\.healthPort) == [8190, 8191, 8192])
        #expect(ports.allSatisfy { $0.metrics.path == "/prom" && $0.healthPath == "/healthz" && $0.host == "127.0.0.1" })

        let defaults = try (0..<3).map { offset in try DemoSystem.Configuration(environment: [:]).telemetryServer(offset: offset) }
        #expect(defaults.map(\.metrics.port) == [9090, 9091, 9092], "the seed's gateway:9090/metrics")
        #expect(defaults.map(\.healthPort) == [8090, 8091, 8092], "clear of the services' own 8080–8082")
    }

    @Test("a port that collides with a service's own port or passes 65535 is a clear error")
    func unusablePorts() throws {
        let colliding = try DemoSystem.Configuration(environment: ["HEALTH_PORT": "8080"])
        #expect {
            _ = try colliding.telemetryServer(offset: 0)
        } throws: { error in
            String(describing: error).contains("HEALTH_PORT=\"8080\"") && String(describing: error).contains("own port")
        }
        let overflowing = try DemoSystem.Configuration(environment: ["METRICS_PORT": "65535"])
        #expect(throws: DemoConfigurationError.self) { _ = try overflowing.telemetryServer(offset: 2) }
        #expect(throws: DemoConfigurationError.self) { try DemoSystem.Configuration(environment: ["METRICS_ENABLED": "perhaps"]) }
    }

    @Test("the listeners serve each service's own registry and health")
    func servesEachService() async throws {
        try await DemoHarness.run { demo in
            _ = try await demo.login()  // crosses all three services
            for name in ["api-gateway", "auth-service", "user-service"] {
                let addresses = try #require(demo.system.telemetryAddresses[name])
                let metrics = try await demo.send(.GET, try #require(addresses.metrics).baseURL + "/metrics")
                #expect(metrics.status == 200)
                #expect(metrics.text.contains("http_requests_total"), "\(name): \(metrics.text.prefix(200))")
                let health = try await demo.send(.GET, try #require(addresses.health).baseURL + "/health")
                #expect(health.status == 200)
                #expect(try health.json()["details"] is [String: String])
            }
            let userHealth = try await demo.send(.GET, demo.system.telemetryAddresses["user-service"]!.health!.baseURL + "/health").json()
            #expect((userHealth["details"] as? [String: String])?["database_status"] == "healthy")
        }
    }

    @Test("METRICS_ENABLED=false leaves no metrics listener")
    func disabled() async throws {
        try await DemoHarness.run(configure: { $0.telemetryServer.metrics.enabled = false }) { demo in
            #expect(demo.system.telemetryAddresses.values.allSatisfy { $0.metrics == nil && $0.health != nil })
        }
    }
}
