import Foundation
import GRDB

/// Users in an SQLite file, through GRDB: the embedded default, nothing to install.
public final class SQLiteUserStore: UserStore {
    private let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var configuration = GRDB.Configuration()
        // A writer waits this long for a lock instead of failing at once under concurrent requests.
        configuration.busyMode = .timeout(5)
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
    }

    public var description: String { "sqlite:\(path)" }

    public func migrate() async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS users (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        email TEXT NOT NULL UNIQUE,
                        created_at DOUBLE NOT NULL
                    )
                    """
            )
        }
    }

    public func create(_ input: UserInput) async throws -> User {
        do {
            return try await pool.write { db in
                let now = Date()
                try db.execute(
                    sql: "INSERT INTO users (name, email, created_at) VALUES (?, ?, ?)",
                    arguments: [input.name, input.email, now.timeIntervalSince1970]
                )
                return User(id: db.lastInsertedRowID, name: input.name, email: input.email, createdAt: now)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw UserStoreError.duplicateEmail(input.email)
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, email, created_at FROM users WHERE id = ?", arguments: [id]).map(Self.user)
        }
    }

    public func user(email: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, email, created_at FROM users WHERE email = ?", arguments: [email]).map(Self.user)
        }
    }

    public func users(limit: Int) async throws -> [User] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, email, created_at FROM users ORDER BY id LIMIT ?", arguments: [limit]).map(Self.user)
        }
    }

    public func update(id: Int64, with input: UserInput) async throws -> User? {
        do {
            return try await pool.write { db in
                try db.execute(sql: "UPDATE users SET name = ?, email = ? WHERE id = ?", arguments: [input.name, input.email, id])
                guard db.changesCount > 0 else { return nil }
                return try Row.fetchOne(db, sql: "SELECT id, name, email, created_at FROM users WHERE id = ?", arguments: [id]).map(Self.user)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw UserStoreError.duplicateEmail(input.email)
        }
    }

    public func delete(id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func ping() async throws {
        // Reads the real table, so a deleted or corrupted file fails the check, not just a closed handle.
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") }
    }

    public func failingQuery() async throws {
        do {
            // Returns a count, not the rows: `[Row]` is not Sendable, and with a non-Sendable result
            // GRDB's synchronous `read` would be chosen, blocking this task's thread.
            _ = try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM chaos_missing_table").count }
        } catch let error as DatabaseError {
            throw UserStoreError.database(error.message ?? error.description)
        }
    }

    private static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], email: row["email"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
