import Foundation
import TelemetryDemo
import Testing

/// The behaviour every ``UserStore`` must have, run against SQLite always and PostgreSQL
/// when `TEST_DATABASE_URL` names a database.
enum UserStoreChecks {
    static func roundTrip(_ store: any UserStore) async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let adaEmail = "ada-\(suffix)@example.com"
        let bobEmail = "bob-\(suffix)@example.com"
        let ada = try await store.create(UserInput(name: "Ada", email: adaEmail))
        let bob = try await store.create(UserInput(name: "Bob", email: bobEmail))
        #expect(try await store.users(limit: 1000).map(\.id).filter { [ada.id, bob.id].contains($0) } == [ada.id, bob.id])
        #expect(try await store.user(email: bobEmail)?.id == bob.id)

        await #expect(throws: UserStoreError.duplicateEmail(adaEmail)) {
            _ = try await store.create(UserInput(name: "Other", email: adaEmail))
        }
        await #expect(throws: UserStoreError.duplicateEmail(bobEmail)) {
            _ = try await store.update(id: ada.id, with: UserInput(name: "Ada", email: bobEmail))
        }
        #expect(try await store.update(id: ada.id, with: UserInput(name: "Ada L.", email: adaEmail))?.name == "Ada L.")
        #expect(try await store.update(id: 999, with: UserInput(name: "Nobody", email: "no@example.com")) == nil)
        #expect(try await store.delete(id: bob.id))
        #expect(try await !store.delete(id: bob.id))
        await #expect(throws: UserStoreError.self) { try await store.failingQuery() }
    }
}
