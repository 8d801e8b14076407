import CircuitBreakers
import Foundation
import HTTPTypes
import Hummingbird

/// The circuit-breaker endpoints, mountable on any Hummingbird router.
///
/// - `GET circuit-breakers` and `GET circuit-breakers/status`: every breaker's status, as a
///   ``CircuitBreakerStatusResponse`` (the shape the pipeline's `/monitoring/circuit-breakers` serves too).
/// - `POST circuit-breakers/reset?service=NAME`: resets the breakers guarding the service
///   `NAME` or named `NAME` (404 if none), or every breaker without the parameter. When an admin token is configured the request
///   needs `Authorization: Bearer <token>`, else it is answered 401.
///
/// ```swift
/// CircuitBreakerRoutes<BasicRequestContext>(registry: registry).addRoutes(to: router)                         // /circuit-breakers/…
/// CircuitBreakerRoutes<BasicRequestContext>(registry: registry).addRoutes(to: router, atPath: "/monitoring")  // /monitoring/circuit-breakers/…
/// ```
public struct CircuitBreakerRoutes<Context: RequestContext>: Sendable {
    /// Environment variable holding the bearer token that guards resets.
    public static var adminTokenVariable: String { "CIRCUIT_BREAKER_ADMIN_TOKEN" }

    /// The breakers served.
    public let registry: CircuitBreakerRegistry
    private let adminToken: String?
    private let now: @Sendable () -> Date

    /// Creates the routes.
    ///
    /// - Parameters:
    ///   - registry: The breakers to list and reset.
    ///   - adminToken: Bearer token required for resets; `nil` or empty leaves resets open.
    ///     Default: `CIRCUIT_BREAKER_ADMIN_TOKEN`.
    ///   - now: The clock stamping the status body's `timestamp`. Default: the system clock.
    public init(
        registry: CircuitBreakerRegistry,
        adminToken: String? = ProcessInfo.processInfo.environment["CIRCUIT_BREAKER_ADMIN_TOKEN"],
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registry = registry
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.now = now
    }

    /// The routes as a collection, relative to the mount point.
    public var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("circuit-breakers") { _, _ in statusResponse() }
        routes.get("circuit-breakers/status") { _, _ in statusResponse() }
        routes.post("circuit-breakers/reset") { request, _ in try reset(request) }
        return routes
    }

    /// Adds the routes to `router` under `path`.
    public func addRoutes(to router: some RouterMethods<Context>, atPath path: RouterPath = "") {
        router.addRoutes(routes, atPath: path)
    }

    private func statusResponse() -> CircuitBreakerStatusResponse {
        CircuitBreakerStatusResponse(hostService: registry.service, statuses: registry.statuses(), at: now())
    }

    private func reset(_ request: Request) throws -> CircuitBreakerResetResponse {
        try authorize(request)
        let names: [String]
        if let service = request.uri.queryParameters["service"].map(String.init) {
            // The seed's `reset?service=user-service` names the service a breaker guards;
            // a breaker's own name is accepted too (the gateway's breakers carry both).
            names = registry.reset(guarding: service)
            guard !names.isEmpty else {
                throw HTTPError(.notFound, message: "no circuit breaker named '\(service)' or guarding it")
            }
        } else {
            let all = registry.all
            for breaker in all { breaker.reset() }
            names = all.map(\.name)
        }
        let statuses = names.compactMap(registry.status(ofBreakerNamed:))
        return CircuitBreakerResetResponse(
            reset: names, circuitBreakers: statuses.map { .init(hostService: registry.service, status: $0) })
    }

    private func authorize(_ request: Request) throws {
        guard let adminToken else { return }
        guard BearerToken.matches(request.headers[.authorization], token: adminToken) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "a valid bearer token is required to reset circuit breakers")
        }
    }
}

/// Body of `POST /circuit-breakers/reset`.
public struct CircuitBreakerResetResponse: ResponseEncodable, Decodable, Sendable, Equatable {
    /// Names of the breakers reset.
    public var reset: [String]
    /// Their status after the reset, listed as ``CircuitBreakerStatusResponse`` lists them.
    public var circuitBreakers: [CircuitBreakerStatusResponse.Breaker]

    /// Creates a response body.
    public init(reset: [String], circuitBreakers: [CircuitBreakerStatusResponse.Breaker]) {
        self.reset = reset
        self.circuitBreakers = circuitBreakers
    }

    enum CodingKeys: String, CodingKey {
        case reset
        case circuitBreakers = "circuit_breakers"
    }
}
