import CircuitBreakers
import ErrorAggregation
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import NIOCore
import TelemetryHTTPServer
import TelemetryMetrics

/// The seed's `api-gateway`: routes `/api/v1/users/…` to the user-service and
/// `/api/v1/auth/…` to the auth-service through instrumented calls, each behind its own
/// circuit breaker, and serves the seed's `/monitoring/*` endpoints and `/metrics`.
///
/// Creating or changing a user needs a bearer token (checked with the auth-service);
/// deleting one needs the admin role.
public struct APIGateway: Sendable {
    /// The service name.
    public static let name = "api-gateway"

    let telemetry: DemoServiceTelemetry
    let breakers: CircuitBreakerRegistry
    let users: Downstream
    let auth: Downstream
    let alerts: ServiceAlerts
    let version: String
    private let elapsed: @Sendable () -> Duration

    init(telemetry: DemoServiceTelemetry, breakers: CircuitBreakerRegistry, users: Downstream, auth: Downstream, alerts: ServiceAlerts, version: String) {
        self.alerts = alerts
        self.telemetry = telemetry
        self.breakers = breakers
        self.users = users
        self.auth = auth
        self.version = version
        let clock = ContinuousClock()
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        // An open breaker degrades the gateway: the other routes still work.
        telemetry.health.register(CircuitBreakerRegistryHealthCheck(registry: breakers, critical: []))
        for downstream in [users, auth] {
            telemetry.health.register(
                CircuitBreakerHealthCheck(guarding: downstream.name, breakerNamed: downstream.breaker.name, in: breakers, critical: false))
        }
    }

    /// The router serving every endpoint.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = telemetry.makeRouter()
        let users = self.users
        let gateway = self

        router.get("/api/v1/users") { request, _ in
            try await gateway.forward(request, to: users, template: "/api/v1/users")
        }
        router.post("/api/v1/users") { request, _ in
            _ = try await gateway.session(request)
            return try await gateway.forward(request, to: users, template: "/api/v1/users")
        }
        router.get("/api/v1/users/{id}") { request, _ in
            try await gateway.forward(request, to: users, template: "/api/v1/users/{id}")
        }
        router.put("/api/v1/users/{id}") { request, _ in
            _ = try await gateway.session(request)
            return try await gateway.forward(request, to: users, template: "/api/v1/users/{id}")
        }
        router.delete("/api/v1/users/{id}") { request, _ in
            let session = try await gateway.session(request)
            guard session.role == "admin" else { throw DemoError.forbidden("deleting users needs the admin role; \(session.email) is a \(session.role)") }
            return try await gateway.forward(request, to: users, template: "/api/v1/users/{id}")
        }
        router.post("/api/v1/auth/login") { request, _ in
            try await gateway.forward(request, to: gateway.auth, template: "/api/v1/auth/login")
        }
        router.get("/api/v1/auth/verify") { request, _ in
            try await gateway.forward(request, to: gateway.auth, template: "/api/v1/auth/verify")
        }

        let monitoring = router.group("/monitoring")
        monitoring.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: gateway.telemetry.metrics.exposition()))
            )
        }
        monitoring.get("health/dashboard") { _, _ in JSONBody.response(await gateway.dashboard()) }
        CircuitBreakerRoutes<BasicRequestContext>(registry: breakers).addRoutes(to: router, atPath: "/monitoring")
        ErrorRoutes<BasicRequestContext>(aggregator: telemetry.errors).addRoutes(to: router, atPath: "/monitoring")
        return router
    }

    /// Passes the request on: same method, path, query, body, content type and credentials.
    func forward(_ request: Request, to downstream: Downstream, template: String) async throws -> Response {
        var headers: [(String, String)] = []
        if let contentType = request.headers[.contentType] { headers.append(("content-type", contentType)) }
        if let authorization = request.headers[.authorization] { headers.append(("authorization", authorization)) }
        let body = request.method == .get || request.method == .delete ? nil : try await request.body.collect(upTo: 1024 * 1024)
        let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return try await downstream.call(request.method, path: path, template: template, headers: headers, body: body).response
    }

    /// The caller's session from the auth-service, or 401.
    func session(_ request: Request) async throws -> TokenStore.Session {
        guard let authorization = request.headers[.authorization] else {
            throw DemoError.unauthenticated("this route needs an Authorization: Bearer token from /api/v1/auth/login")
        }
        let reply = try await auth.call(.get, path: "/api/v1/auth/verify", template: "/api/v1/auth/verify", headers: [("authorization", authorization)])
        guard reply.status == 200 else { throw DemoError.unauthenticated("the bearer token is not valid") }
        return try JSONBody.decode(TokenStore.Session.self, from: reply.body.readableBytesView)
    }

    func dashboard() async -> HealthDashboard {
        let report = await telemetry.health.report()
        let stats = telemetry.errors.stats()
        let own = stats.services[Self.name]
        let total = Int(own?.totalRequests ?? 0)
        let failed = Int(own?.totalErrors ?? 0)
        var services: [String: HealthDashboard.Service] = [:]
        for downstream in [users, auth] {
            services[downstream.name] = HealthDashboard.status(of: downstream)
        }
        return HealthDashboard(
            gateway: .init(
                name: Self.name,
                version: version,
                status: report.status.rawValue,
                uptime: HealthDashboard.uptime(elapsed()),
                requests: .init(total: total, failed: failed)
            ),
            services: services,
            alerts: alerts.activeAlerts().map {
                .init(level: $0.level.rawValue, service: $0.service, message: $0.message, timestamp: $0.timestamp, duration: $0.duration)
            }
        )
    }
}
