import Foundation
import TelemetryDemo
import Testing

@Suite("PostgreSQL user store")
struct PostgresUserStoreTests {
    @Test(
        "stores, finds, updates and deletes users on a real PostgreSQL",
        .enabled(if: ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] != nil, "set TEST_DATABASE_URL to run")
    )
    func roundTrip() async throws {
        let store = try PostgresUserStore(url: ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]!)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            try await store.migrate()
            try await store.ping()
            try await UserStoreChecks.roundTrip(store)
        }
    }
}
