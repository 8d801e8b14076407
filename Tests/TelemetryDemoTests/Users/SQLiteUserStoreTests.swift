import Foundation
import TelemetryDemo
import Testing

@Suite("SQLite user store")
struct SQLiteUserStoreTests {
    @Test("stores, finds, updates and deletes users; a taken e-mail is a duplicate")
    func roundTrip() async throws {
        let directory = NSTemporaryDirectory() + "sqlite-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteUserStore(path: directory + "/users.sqlite")
        try await store.migrate()
        try await store.ping()

        try await UserStoreChecks.roundTrip(store)
    }

    @Test("a malformed DATABASE_URL is rejected with the reason")
    func postgresURL() throws {
        #expect(throws: UserStoreError.self) { try PostgresUserStore(url: "mysql://localhost/db") }
        #expect(throws: UserStoreError.self) { try PostgresUserStore(url: "postgres://u:p@localhost/db?sslmode=require") }
        let store = try PostgresUserStore(url: "postgres://demo:secret@127.0.0.1:5433/users")
        #expect(store.description == "postgres://demo:***@127.0.0.1:5433/users")
    }
}
