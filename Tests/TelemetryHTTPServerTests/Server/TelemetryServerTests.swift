import AsyncHTTPClient
import HealthChecks
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryMetrics
import Testing

@testable import TelemetryHTTPServer

@Suite struct TelemetryServerTests {
    @Test func configurationReadsTheSeedsVariables() throws {
        let defaults = try TelemetryServer.Configuration(environment: [:])
        #expect(defaults.healthEnabled && defaults.healthPort == 8080 && defaults.healthPath == "/health")
        #expect(defaults.metrics.port == 9090 && defaults.metrics.path == "/metrics")

        let custom = try TelemetryServer.Configuration(environment: [
            "HEALTH_ENABLED": "true", "HEALTH_PORT": "9090", "HEALTH_PATH": "/healthz", "HEALTH_CACHE_TTL": "250ms",
            "METRICS_PORT": "9090", "OTEL_SERVICE_NAME": "gateway", "SERVICE_VERSION": "v2.1.0",
        ])
        #expect(custom.healthPath == "/healthz")
        #expect(custom.healthCacheTTL == .milliseconds(250))
        #expect(custom.serviceName == "gateway")
        #expect(custom.healthRegistry.version == "v2.1.0")
        #expect(throws: ConfigurationError.malformed("HEALTH_PORT", "http", expected: EnvironmentReader.Expected.port)) {
            try TelemetryServer.Configuration(environment: ["HEALTH_PORT": "http"])
        }
    }

    func server(
        healthPort: Int, metricsPort: Int, healthEnabled: Bool = true, onListening: @escaping @Sendable (TelemetryServer.Role, Int) async -> Void = { _, _ in }
    ) -> TelemetryServer {
        var configuration = TelemetryServer.Configuration.default
        configuration.host = "127.0.0.1"
        configuration.healthPort = healthPort
        configuration.healthEnabled = healthEnabled
        configuration.metrics.port = metricsPort
        let health = HealthRegistry(configuration: configuration.healthRegistry)
        health.register(ClosureHealthCheck(name: "database") { .healthy })
        return TelemetryServer(
            configuration: configuration,
            health: health,
            metrics: PrometheusMetricsBackend(configuration: configuration.metrics),
            onListening: onListening
        )
    }

    @Test func samePortMeansOneServer() {
        #expect(server(healthPort: 9100, metricsPort: 9100).listeners.map(\.0) == [.combined])
        #expect(server(healthPort: 8080, metricsPort: 9090).listeners.map(\.0) == [.health, .metrics])
        #expect(server(healthPort: 8080, metricsPort: 9090, healthEnabled: false).listeners.map(\.0) == [.metrics])
    }

    @Test func servesHealthAndMetricsOnSeparatePortsUntilShutdown() async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: (TelemetryServer.Role, Int).self)
        let service = server(healthPort: 0, metricsPort: 0) { role, port in continuation.yield((role, port)) }
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var bound: [TelemetryServer.Role: Int] = [:]
            for await (role, port) in ports {
                bound[role] = port
                if bound.count == 2 { break }
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            do {
                let health = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bound[.health]!)/health"), timeout: .seconds(5))
                #expect(health.status == .ok)
                let metrics = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bound[.metrics]!)/metrics"), timeout: .seconds(5))
                #expect(metrics.status == .ok)
                #expect(metrics.headers.first(name: "content-type") == "text/plain; version=0.0.4; charset=utf-8")
                let notHere = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bound[.metrics]!)/health"), timeout: .seconds(5))
                #expect(notHere.status == .notFound)
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
