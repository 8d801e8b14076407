/// Where the user-service keeps its users: SQLite (``SQLiteUserStore``) or PostgreSQL
/// (``PostgresUserStore``).
public protocol UserStore: Sendable {
    /// The database kind and location, for `/database/status` and logs (no password).
    var description: String { get }
    /// Creates the `users` table if missing.
    func migrate() async throws
    /// Inserts a user; throws ``UserStoreError/duplicateEmail(_:)`` when the e-mail is taken.
    func create(_ input: UserInput) async throws -> User
    /// The user with `id`, or `nil`.
    func user(id: Int64) async throws -> User?
    /// The user with `email`, or `nil`.
    func user(email: String) async throws -> User?
    /// Users by ascending id, at most `limit`.
    func users(limit: Int) async throws -> [User]
    /// Replaces name and e-mail; `nil` when no user has `id`.
    func update(id: Int64, with input: UserInput) async throws -> User?
    /// Deletes; `false` when no user had `id`.
    func delete(id: Int64) async throws -> Bool
    /// Runs a trivial query on a real connection; throws when the database cannot answer.
    func ping() async throws
    /// Runs a query against a table that does not exist, so the driver reports a genuine
    /// database error (chaos injection).
    func failingQuery() async throws
}
