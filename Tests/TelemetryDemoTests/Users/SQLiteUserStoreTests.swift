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

        let ada = try await store.create(UserInput(name: "Ada", email: "ada@example.com"))
        let bob = try await store.create(UserInput(name: "Bob", email: "bob@example.com"))
        #expect(try await store.users(limit: 10).map(\.id) == [ada.id, bob.id])
        #expect(try await store.user(email: "bob@example.com")?.id == bob.id)

        await #expect(throws: UserStoreError.duplicateEmail("ada@example.com")) {
            _ = try await store.create(UserInput(name: "Other", email: "ada@example.com"))
        }
        await #expect(throws: UserStoreError.duplicateEmail("bob@example.com")) {
            _ = try await store.update(id: ada.id, with: UserInput(name: "Ada", email: "bob@example.com"))
        }
        #expect(try await store.update(id: ada.id, with: UserInput(name: "Ada L.", email: "ada@example.com"))?.name == "Ada L.")
        #expect(try await store.update(id: 999, with: UserInput(name: "Nobody", email: "no@example.com")) == nil)
        #expect(try await store.delete(id: bob.id))
        #expect(try await !store.delete(id: bob.id))
        await #expect(throws: UserStoreError.self) { try await store.failingQuery() }
    }

    @Test("a malformed DATABASE_URL is rejected with the reason")
    func postgresURL() throws {
        #expect(throws: UserStoreError.self) { try PostgresUserStore(url: "mysql://localhost/db") }
        #expect(throws: UserStoreError.self) { try PostgresUserStore(url: "postgres://u:p@localhost/db?sslmode=require") }
        let store = try PostgresUserStore(url: "postgres://demo:secret@127.0.0.1:5433/users")
        #expect(store.description == "postgres://demo:***@127.0.0.1:5433/users")
    }
}
