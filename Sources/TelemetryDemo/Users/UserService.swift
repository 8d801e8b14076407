import HTTPTypes
import HealthChecks
import Hummingbird
import Logging

/// The seed's `user-service`: user CRUD on a real database, with `/metrics`, `/health`,
/// `/ready`, `/live` and `/database/status` reflecting the real connection.
///
/// - `GET /api/v1/users?limit=N&email=E`, `POST /api/v1/users`
/// - `GET|PUT|DELETE /api/v1/users/{id}`
/// - `GET /chaos`, `POST /chaos?mode=fail|stall|database|mixed&seconds=S`, `DELETE /chaos`
public struct UserService: Sendable {
    /// The service name.
    public static let name = "user-service"

    let telemetry: DemoServiceTelemetry
    let store: any UserStore
    let chaos: ChaosSwitch

    /// Creates the service over `store`; registers the database health check.
    ///
    /// - Parameter databaseTimeout: how long a ping may take before the database counts as down.
    public init(telemetry: DemoServiceTelemetry, store: any UserStore, chaos: ChaosSwitch, databaseTimeout: Duration = .seconds(2)) {
        self.telemetry = telemetry
        self.store = store
        self.chaos = chaos
        telemetry.health.register(
            DatabaseHealthCheck(name: "database", critical: true, timeout: databaseTimeout) { [store] in
                try await store.ping()
            })
    }

    /// The router serving every endpoint.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = telemetry.makeRouter()
        let store = self.store
        let users = router.group("/api/v1/users").add(middleware: ChaosMiddleware(chaos: chaos, store: store))
        users.get { request, _ in
            let query = request.uri.queryParameters
            if let email = query["email"] {
                let found = try await Self.database { try await store.user(email: String(email)) }
                return JSONBody.response(found.map { [$0] } ?? [])
            }
            let limit =
                try query["limit"].map { raw -> Int in
                    guard let limit = Int(raw), (1...1000).contains(limit) else {
                        throw DemoError.validation("limit must be a whole number from 1 to 1000, not '\(raw)'")
                    }
                    return limit
                } ?? 100
            return JSONBody.response(try await Self.database { try await store.users(limit: limit) })
        }
        users.post { request, _ in
            let input = try await Self.validInput(request)
            let user = try await Self.database { try await store.create(input) }
            return JSONBody.response(user, status: .created)
        }
        users.get("{id}") { _, context in
            let id = try Self.id(context)
            guard let user = try await Self.database({ try await store.user(id: id) }) else { throw DemoError.notFound("no user with id \(id)") }
            return JSONBody.response(user)
        }
        users.put("{id}") { request, context in
            let id = try Self.id(context)
            let input = try await Self.validInput(request)
            guard let user = try await Self.database({ try await store.update(id: id, with: input) }) else {
                throw DemoError.notFound("no user with id \(id)")
            }
            return JSONBody.response(user)
        }
        users.delete("{id}") { _, context in
            let id = try Self.id(context)
            guard try await Self.database({ try await store.delete(id: id) }) else { throw DemoError.notFound("no user with id \(id)") }
            return Response(status: .noContent)
        }
        ChaosRoutes(chaos: chaos).addRoutes(to: router)
        return router
    }

    static func id(_ context: BasicRequestContext) throws -> Int64 {
        let raw = try context.parameters.require("id")
        guard let id = Int64(raw), id > 0 else { throw DemoError.validation("user id must be a positive whole number, not '\(raw)'") }
        return id
    }

    static func validInput(_ request: Request) async throws -> UserInput {
        let input = try await JSONBody.decode(UserInput.self, from: request, expected: "{\"name\": …, \"email\": …}")
        if let problem = input.validationProblem { throw DemoError.validation(problem) }
        return input
    }

    /// Runs a store operation, answering a taken e-mail 409 and any other driver failure 500.
    static func database<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as UserStoreError {
            throw error.isDuplicateEmail ? DemoError.conflict(error.message) : DemoError.internalFailure(error.message)
        } catch let error as DemoError {
            throw error
        } catch {
            throw DemoError.internalFailure("database error: \(String(reflecting: error))")
        }
    }
}
