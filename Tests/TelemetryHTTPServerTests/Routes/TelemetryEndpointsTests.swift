import CircuitBreakers
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TelemetryMetrics
import Testing

@testable import TelemetryHTTPServer

@Suite struct TelemetryEndpointsTests {
    /// A health registry with a database, a non-critical cache and a breaker, each switchable.
    final class Dependencies: Sendable {
        let database = Mutex<Bool>(true)
        let cache = Mutex<Bool>(true)
        let breaker = Mutex(CircuitBreaker.State.closed)
        let hang = Mutex(false)
        let registry = HealthRegistry(configuration: .init(cacheTTL: .zero, version: "v1.0.0"))

        init() {
            registry.register(
                DatabaseHealthCheck(timeout: .milliseconds(300)) { [self] in
                    if self.hang.withLock({ $0 }) { try await Task.sleep(for: .seconds(3600)) }
                    if !self.database.withLock({ $0 }) { throw DatabaseDown() }
                }
            )
            registry.register(
                CircuitBreakerHealthCheck(name: "user-service") { [self] in
                    CircuitBreakerStatus(
                        name: "user-service",
                        state: self.breaker.withLock { $0 },
                        counts: .init(requests: 1000, totalSuccesses: 995, totalFailures: 5, consecutiveSuccesses: 50)
                    )
                }
            )
            registry.register(
                ClosureHealthCheck(name: "cache", critical: false) { [self] in
                    self.cache.withLock { $0 } ? .healthy : .unhealthy("cache unreachable")
                })
        }
    }

    struct DatabaseDown: Error, CustomStringConvertible {
        var description: String { "database connection refused" }
    }

    func application(_ dependencies: Dependencies, metrics: PrometheusMetricsBackend? = nil) -> some ApplicationProtocol {
        let router = Router()
        TelemetryEndpoints(health: dependencies.registry, metrics: metrics).addRoutes(to: router)
        return Application(router: router)
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func healthHasTheSeedsShape() async throws {
        let dependencies = Dependencies()
        try await application(dependencies).test(.ahc(.http)) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try json(response)
            #expect(body["status"] as? String == "healthy")
            #expect(body["version"] as? String == "v1.0.0")
            let timestamp = try #require(body["timestamp"] as? String)
            #expect(try Date(timestamp, strategy: .iso8601) <= Date())
            let details = try #require(body["details"] as? [String: String])
            #expect(details == ["database_status": "healthy", "user_service_status": "CLOSED", "cache_status": "healthy"])
            let breaker = try #require(body["circuit_breaker"] as? [String: Any])
            #expect(breaker["service"] as? String == "user-service")
            #expect(breaker["state"] as? String == "CLOSED")
            let counts = try #require(breaker["counts"] as? [String: Int])
            #expect(
                counts == [
                    "requests": 1000, "total_successes": 995, "total_failures": 5, "total_exclusions": 0,
                    "consecutive_successes": 50, "consecutive_failures": 0,
                ]
            )
        }
    }

    @Test func healthFlipsHealthyDegradedUnhealthyHealthy() async throws {
        let dependencies = Dependencies()
        try await application(dependencies).test(.ahc(.http)) { client in
            func probe() async throws -> (HTTPResponse.Status, String?, HTTPResponse.Status) {
                let health = try await client.execute(uri: "/health", method: .get)
                let ready = try await client.execute(uri: "/ready", method: .get)
                return (health.status, try json(health)["status"] as? String, ready.status)
            }
            var (code, status, ready) = try await probe()
            #expect(code == .ok && status == "healthy" && ready == .ok)

            dependencies.cache.withLock { $0 = false }
            (code, status, ready) = try await probe()
            #expect(code == .ok && status == "degraded" && ready == .ok)

            dependencies.cache.withLock { $0 = true }
            dependencies.breaker.withLock { $0 = .halfOpen }
            (code, status, ready) = try await probe()
            #expect(code == .ok && status == "degraded" && ready == .ok)

            dependencies.breaker.withLock { $0 = .open }
            (code, status, ready) = try await probe()
            #expect(code == .serviceUnavailable && status == "unhealthy" && ready == .serviceUnavailable)

            dependencies.breaker.withLock { $0 = .closed }
            dependencies.database.withLock { $0 = false }
            (code, status, ready) = try await probe()
            #expect(code == .serviceUnavailable && status == "unhealthy" && ready == .serviceUnavailable)

            dependencies.database.withLock { $0 = true }
            (code, status, ready) = try await probe()
            #expect(code == .ok && status == "healthy" && ready == .ok)
        }
    }

    @Test func aHungDatabaseAnswersUnhealthyWithinItsTimeout() async throws {
        let dependencies = Dependencies()
        dependencies.hang.withLock { $0 = true }
        try await application(dependencies).test(.ahc(.http)) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect((try json(health)["details"] as? [String: String])?["database_status"] == "unhealthy")
            let database = try await client.execute(uri: "/database/status", method: .get)
            #expect(database.status == .serviceUnavailable)
            let body = try json(database)
            #expect(body["status"] as? String == "unhealthy")
            #expect((body["error"] as? String)?.contains("did not answer") == true)
        }
    }

    @Test func databaseStatusShowsLatencyAndLastError() async throws {
        let dependencies = Dependencies()
        try await application(dependencies).test(.ahc(.http)) { client in
            dependencies.database.withLock { $0 = false }
            _ = try await client.execute(uri: "/health", method: .get)
            dependencies.database.withLock { $0 = true }
            let response = try await client.execute(uri: "/database/status", method: .get)
            #expect(response.status == .ok)
            let body = try json(response)
            #expect(body["status"] as? String == "healthy")
            #expect((body["latency_ms"] as? Double ?? -1) >= 0)
            #expect(body["error"] is NSNull)
            #expect(body["last_error"] as? String == "database connection refused")
            #expect(body["last_error_at"] is String)
        }
    }

    @Test func liveAnswersWhileServing() async throws {
        let dependencies = Dependencies()
        dependencies.database.withLock { $0 = false }
        try await application(dependencies).test(.ahc(.http)) { client in
            let response = try await client.execute(uri: "/live", method: .get)
            #expect(response.status == .ok)
            #expect(try json(response)["status"] as? String == "alive")
        }
    }

    @Test func metricsEndpointServesTextFormat() async throws {
        let metrics = PrometheusMetricsBackend(configuration: .init(enabled: true, port: 0, path: "/metrics"))
        let recorder = HTTPServerMetrics(service: "gateway", factory: metrics.factory)
        recorder.requestStarted()
        recorder.requestFinished(method: "GET", path: "/x", status: 200, duration: .milliseconds(1))
        try await application(Dependencies(), metrics: metrics).test(.ahc(.http)) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains(#"http_requests_total{method="GET",path="/x",status="200"} 1"#))
            #expect(text.contains("# TYPE process_cpu_seconds_total counter"))
        }
    }

    @Test func healthListsEveryRegisteredBreaker() async throws {
        let breakers = CircuitBreakerRegistry(clock: ContinuousClock())
        let payments = breakers.breaker(named: "payments")
        _ = breakers.breaker(named: "inventory")
        let health = HealthRegistry(configuration: .init(cacheTTL: .zero, version: "v2"))
        health.register(CircuitBreakerRegistryHealthCheck(registry: breakers, critical: ["payments"]))
        let router = Router()
        TelemetryEndpoints(health: health, metrics: nil).addRoutes(to: router)
        try await Application(router: router).test(.ahc(.http)) { client in
            // Registered after the check: still listed.
            _ = breakers.breaker(named: "recommendations")
            try payments.allow().succeeded()
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            let body = try json(response)
            let list = try #require(body["circuit_breakers"] as? [[String: Any]])
            #expect(list.compactMap { $0["service"] as? String } == ["inventory", "payments", "recommendations"])
            #expect(list.allSatisfy { $0["state"] as? String == "CLOSED" })
            let paymentCounts = try #require(list[1]["counts"] as? [String: Int])
            #expect(paymentCounts["requests"] == 1 && paymentCounts["total_successes"] == 1)
            #expect((body["circuit_breaker"] as? [String: Any])?["service"] as? String == "inventory")
            #expect((body["details"] as? [String: String])?["circuit_breaker_status"] == "CLOSED")

            payments.forceOpen()
            let tripped = try await client.execute(uri: "/health", method: .get)
            #expect(tripped.status == .serviceUnavailable)
            let states = try #require(try json(tripped)["circuit_breakers"] as? [[String: Any]]).compactMap { $0["state"] as? String }
            #expect(states == ["CLOSED", "OPEN", "CLOSED"])
        }
    }

    @Test func detailKeysFollowTheSeedsStyle() {
        #expect(HealthResponse.detailKey(for: "database") == "database_status")
        #expect(HealthResponse.detailKey(for: "user-service") == "user_service_status")
        #expect(HealthResponse.detailKey(for: "circuit_breaker") == "circuit_breaker_status")
    }
}
