import Foundation
import GRDB
import NIOHTTP1
import TelemetryDemo
import TelemetryTesting
import Testing

@Suite("user-service")
struct UserServiceTests {
    @Test("/database/status and /health follow the real database")
    func databaseStatusIsReal() async throws {
        try await DemoHarness.run { demo in
            let healthy = try await demo.send(.GET, demo.userService + "/database/status")
            #expect(healthy.status == 200, "\(healthy.text)")
            #expect(try await demo.send(.GET, demo.userService + "/ready").status == 200)

            // Break the database behind the service's back: its ping query must notice.
            let outsider = try DatabaseQueue(path: demo.directory + "/users.sqlite")
            try await outsider.write { db in try db.execute(sql: "ALTER TABLE users RENAME TO users_gone") }
            let broken = await demo.eventually {
                (try? await demo.send(.GET, demo.userService + "/database/status").status) == 503
            }
            #expect(broken)
            let health = try await demo.send(.GET, demo.userService + "/health")
            #expect(health.status == 503)
            #expect(try health.json()["status"] as? String == "unhealthy")
            #expect(try await demo.send(.GET, demo.userService + "/ready").status == 503)
            #expect(try await demo.send(.GET, demo.userService + "/live").status == 200)

            try await outsider.write { db in try db.execute(sql: "ALTER TABLE users_gone RENAME TO users") }
            let back = await demo.eventually {
                (try? await demo.send(.GET, demo.userService + "/database/status").status) == 200
            }
            #expect(back)
            let status = try await demo.send(.GET, demo.userService + "/database/status").json()
            #expect(status["last_error"] is String, "the last failure is remembered: \(status)")
        }
    }

    @Test("CRUD directly on the user-service")
    func crud() async throws {
        try await DemoHarness.run { demo in
            let created = try await demo.send(.POST, demo.userService + "/api/v1/users", json: ["name": "Grace", "email": "grace@example.com"])
            #expect(created.status == 201)
            let user = try created.decode(User.self)
            let byEmail = try await demo.send(.GET, demo.userService + "/api/v1/users?email=grace@example.com").decode([User].self)
            #expect(byEmail.map(\.id) == [user.id])
            #expect(try await demo.send(.GET, demo.userService + "/api/v1/users/abc").status == 400)
            #expect(try await demo.send(.DELETE, demo.userService + "/api/v1/users/\(user.id)").status == 204)
            #expect(try await demo.send(.DELETE, demo.userService + "/api/v1/users/\(user.id)").status == 404)
            let metrics = try await demo.send(.GET, demo.userService + "/metrics").text
            #expect(metrics.contains("http_requests_total"))
        }
    }

    @Test("the chaos endpoint starts and stops faults")
    func chaosEndpoint() async throws {
        try await DemoHarness.run { demo in
            let started = try await demo.send(.POST, demo.userService + "/chaos?mode=fail&seconds=30").json()
            #expect(started["active"] as? Bool == true)
            #expect(try await demo.send(.GET, demo.userService + "/api/v1/users").status == 503)
            // Probes are not affected: the service is up, its API is failing.
            #expect(try await demo.send(.GET, demo.userService + "/live").status == 200)
            #expect(try await demo.send(.DELETE, demo.userService + "/chaos").json()["active"] as? Bool == false)
            #expect(try await demo.send(.GET, demo.userService + "/api/v1/users").status == 200)
            #expect(try await demo.send(.POST, demo.userService + "/chaos?mode=explode").status == 400)
        }
    }
}
