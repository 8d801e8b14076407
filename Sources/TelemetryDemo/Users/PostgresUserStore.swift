import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Users in PostgreSQL through postgres-nio's connection pool; used when `DATABASE_URL` is set.
///
/// The pool only leases connections while ``run()`` runs, so the store is a `Service` to put
/// in the application's `ServiceGroup`.
public final class PostgresUserStore: UserStore, Service {
    private let client: PostgresClient
    private let location: String

    /// Creates a store over a connection pool with `configuration`; connections open on first
    /// use once ``run()`` runs. `location` is what ``description`` shows (no password).
    public init(configuration: PostgresClient.Configuration, location: String, logger: Logger = Logger(label: "user-service.postgres")) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.location = location
    }

    /// Parses a `postgres://user:password@host:port/database` URL.
    ///
    /// `?host=/var/run/postgresql` selects a Unix socket; `sslmode` may be absent or `disable`.
    /// - Throws: ``UserStoreError/invalidDatabaseURL(_:_:)`` naming what is wrong.
    public convenience init(url: String, logger: Logger = Logger(label: "user-service.postgres")) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw UserStoreError.invalidDatabaseURL(url, "expected postgres://user:password@host:port/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let mode = query["sslmode"], mode != "disable" {
            throw UserStoreError.invalidDatabaseURL(url, "sslmode=\(mode) is not supported; use sslmode=disable or leave it out")
        }
        let username = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = components.password
        let database = components.path.isEmpty || components.path == "/" ? nil : String(components.path.dropFirst())
        var configuration: PostgresClient.Configuration
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database
            )
        } else {
            guard let host = components.host, !host.isEmpty else { throw UserStoreError.invalidDatabaseURL(url, "no host") }
            configuration = PostgresClient.Configuration(
                host: host, port: components.port ?? 5432, username: username, password: password, database: database, tls: .disable
            )
        }
        // A stopped server should fail checks within the health timeout, not after the 10 s default.
        configuration.options.connectTimeout = .seconds(1)
        var redacted = components
        if redacted.password != nil { redacted.password = "***" }
        self.init(configuration: configuration, location: redacted.string ?? "postgres", logger: logger)
    }

    public var description: String { location }

    /// Runs the connection pool until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.client.run() }
    }

    public func migrate() async throws {
        try await drain(
            client.query(
                """
                CREATE TABLE IF NOT EXISTS users (
                    id BIGSERIAL PRIMARY KEY,
                    name TEXT NOT NULL,
                    email TEXT NOT NULL UNIQUE,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """
            )
        )
    }

    public func create(_ input: UserInput) async throws -> User {
        do {
            let rows = try await client.query(
                "INSERT INTO users (name, email) VALUES (\(input.name), \(input.email)) RETURNING id, name, email, created_at"
            )
            guard let user = try await Self.users(rows).first else { throw UserStoreError.database("INSERT returned no row") }
            return user
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw UserStoreError.duplicateEmail(input.email)
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await Self.users(client.query("SELECT id, name, email, created_at FROM users WHERE id = \(id)")).first
    }

    public func user(email: String) async throws -> User? {
        try await Self.users(client.query("SELECT id, name, email, created_at FROM users WHERE email = \(email)")).first
    }

    public func users(limit: Int) async throws -> [User] {
        try await Self.users(client.query("SELECT id, name, email, created_at FROM users ORDER BY id LIMIT \(limit)"))
    }

    public func update(id: Int64, with input: UserInput) async throws -> User? {
        do {
            return try await Self.users(
                client.query(
                    "UPDATE users SET name = \(input.name), email = \(input.email) WHERE id = \(id) RETURNING id, name, email, created_at"
                )
            ).first
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw UserStoreError.duplicateEmail(input.email)
        }
    }

    public func delete(id: Int64) async throws -> Bool {
        try await !Self.users(client.query("DELETE FROM users WHERE id = \(id) RETURNING id, name, email, created_at")).isEmpty
    }

    public func ping() async throws {
        try await drain(client.query("SELECT 1"))
    }

    public func failingQuery() async throws {
        do {
            try await drain(client.query("SELECT * FROM chaos_missing_table"))
        } catch let error as PSQLError {
            throw UserStoreError.database(error.serverInfo?[.message] ?? String(reflecting: error))
        }
    }

    private func drain(_ rows: PostgresRowSequence) async throws {
        for try await _ in rows {}
    }

    private static func users(_ rows: PostgresRowSequence) async throws -> [User] {
        var users: [User] = []
        for try await (id, name, email, createdAt) in rows.decode((Int64, String, String, Date).self) {
            users.append(User(id: id, name: name, email: email, createdAt: createdAt))
        }
        return users
    }
}
