import CircuitBreakers
import Foundation
import HTTPTypes
import HealthChecks
import Hummingbird
import NIOCore
import TelemetryHTTPServer

/// The seed's `auth-service`: log in against the user-service, verify bearer tokens; its
/// `user-client` circuit breaker is served at `/circuit-breakers/status` (+ `POST …/reset`)
/// and reported by `/health`.
///
/// - `POST /api/v1/auth/login` `{"email": …, "password": …}` → `{"token": …, "user_id": …, "role": …}`
/// - `GET /api/v1/auth/verify` with `Authorization: Bearer <token>` → the token's session or 401
public struct AuthService: Sendable {
    /// The service name.
    public static let name = "auth-service"
    /// The breaker in front of the user-service, named as in the seed's metrics.
    public static let userClientBreaker = "user-client"

    struct Login: Codable {
        var email: String
        var password: String
    }

    struct LoginReply: Codable {
        var token: String
        var userID: Int64
        var role: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case token
            case userID = "user_id"
            case role
            case expiresIn = "expires_in"
        }
    }

    let telemetry: DemoServiceTelemetry
    let breakers: CircuitBreakerRegistry
    let users: Downstream
    let tokens: TokenStore
    let password: String
    let adminEmail: String

    init(telemetry: DemoServiceTelemetry, breakers: CircuitBreakerRegistry, users: Downstream, password: String, adminEmail: String) {
        self.telemetry = telemetry
        self.breakers = breakers
        self.users = users
        self.tokens = TokenStore()
        self.password = password
        self.adminEmail = adminEmail
        // The seed's details: `circuit_breaker_status` (the worst breaker) and
        // `user_service_status` (the breaker in front of the user-service). Neither is
        // critical: logins fail fast while the user-service is down, the rest still answers.
        telemetry.health.register(CircuitBreakerRegistryHealthCheck(registry: breakers, critical: []))
        telemetry.health.register(CircuitBreakerHealthCheck(guarding: users.name, breakerNamed: users.breaker.name, in: breakers, critical: false))
    }

    /// The router serving every endpoint.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = telemetry.makeRouter()
        router.post("/api/v1/auth/login") { request, _ in try await login(request) }
        router.get("/api/v1/auth/verify") { request, _ in
            guard let token = Self.bearer(request), let session = tokens.session(for: token) else {
                throw DemoError.unauthenticated("a valid bearer token is required")
            }
            return JSONBody.response(session)
        }
        CircuitBreakerRoutes<BasicRequestContext>(registry: breakers).addRoutes(to: router)
        return router
    }

    private func login(_ request: Request) async throws -> Response {
        let login = try await JSONBody.decode(Login.self, from: request, expected: "{\"email\": …, \"password\": …}")
        guard !login.email.isEmpty, !login.password.isEmpty else { throw DemoError.validation("email and password are required") }
        let query = "email=" + (login.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let reply = try await users.call(.get, path: "/api/v1/users?" + query, template: "/api/v1/users")
        guard reply.status == 200 else {
            throw DemoError.internalFailure("user lookup answered \(reply.status)")
        }
        let found = try JSONBody.decode([User].self, from: reply.body.readableBytesView)
        // One message for both cases, so the answer does not reveal which e-mails exist.
        guard let user = found.first, login.password == password else { throw DemoError.unauthenticated("wrong e-mail or password") }
        let role = user.email == adminEmail ? "admin" : "user"
        let token = tokens.issue(for: .init(userID: user.id, email: user.email, role: role))
        return JSONBody.response(LoginReply(token: token, userID: user.id, role: role, expiresIn: Int(tokens.lifetime.components.seconds)))
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        let token = header.dropFirst("Bearer ".count)
        return token.isEmpty ? nil : String(token)
    }
}
