import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TelemetryCore

/// Sends a steady mix of gateway requests (reads, writes, logins, and a chosen share of
/// invalid ones) and injects a user-service outage on schedule, so breakers trip and recover,
/// errors of several types occur and health changes state.
public struct TrafficDriver: Service {
    /// One request of the mix.
    enum Operation: CaseIterable {
        case getUser, listUsers, createUser, updateUser, deleteUser, login, verify
        case invalidEmail, wrongPassword, missingToken, notAdmin, unknownUser, duplicateEmail

        static let good: [(Operation, Int)] = [
            (.getUser, 35), (.listUsers, 15), (.createUser, 12), (.updateUser, 10), (.deleteUser, 8), (.login, 12), (.verify, 8),
        ]
        static let bad: [Operation] = [.invalidEmail, .wrongPassword, .missingToken, .notAdmin, .unknownUser, .duplicateEmail]
    }

    private struct World {
        var random: SplitMix64
        var userIDs: [Int64] = []
        var adminToken = ""
        var userToken = ""
        var next = 0
    }

    let configuration: Configuration
    let gateway: ServiceAddress
    let chaos: ChaosSwitch
    let adminEmail: String
    let password: String
    let logger: Logger
    let tally = TrafficTally()
    private let world: Shared<World>

    /// Creates a driver aimed at `gateway`.
    public init(configuration: Configuration, gateway: ServiceAddress, chaos: ChaosSwitch, adminEmail: String, password: String, logger: Logger) {
        self.configuration = configuration
        self.gateway = gateway
        self.chaos = chaos
        self.adminEmail = adminEmail
        self.password = password
        self.logger = logger
        self.world = Shared(World(random: SplitMix64(seed: configuration.seed)))
    }

    /// Creates a driver for `system`'s gateway and chaos switch.
    public init(configuration: Configuration, system: DemoSystem, logger: Logger) {
        self.init(
            configuration: configuration, gateway: system.gatewayAddress, chaos: system.chaos,
            adminEmail: system.configuration.adminEmail, password: system.configuration.password, logger: logger
        )
    }

    /// Sends traffic until the configured duration passes or shutdown begins; then, with
    /// ``Configuration/keepServing``, waits for shutdown. A failing driver never takes the
    /// services down: its errors are logged.
    public func run() async throws {
        // The driver stands for outside users: untraced, so every trace starts at the gateway.
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.tracing.tracer = nil
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        do {
            try await cancelWhenGracefulShutdown { try await drive(client) }
        } catch is CancellationError {
            logger.info("traffic stopped", metadata: ["sent": "\(tally.summary())"])
        } catch {
            logger.error("traffic driver failed", metadata: ["error": "\(error)"])
        }
        try? await client.shutdown()
        if configuration.keepServing, !Task.isCancelled {
            logger.info("traffic finished; the services keep serving until interrupted")
            try? await gracefulShutdown()
        }
    }

    private func drive(_ client: HTTPClient) async throws {
        guard configuration.rate > 0 else { return }
        try await setUp(client)
        let clock = ContinuousClock()
        let start = clock.now
        // Bounded before converting: `Int64(_:)` traps on a huge quotient from a tiny rate set in code.
        let interval = Duration.milliseconds(Int64(min(1000 / configuration.rate, 1_000_000)))
        var chaosStarted = false
        var lastReport = start
        let inFlight = InFlight()
        try await withThrowingDiscardingTaskGroup { group in
            var tick = start
            while !Task.isCancelled {
                let now = clock.now
                if let duration = configuration.duration, now - start >= duration { break }
                if let plan = configuration.chaos, !chaosStarted, now - start >= plan.after {
                    chaosStarted = true
                    chaos.start(plan.mode, for: plan.length)
                    logger.warning("chaos: user-service \(plan.mode.rawValue) faults for \(plan.length)")
                }
                if now - lastReport >= .seconds(5) {
                    lastReport = now
                    logger.info("traffic", metadata: ["sent": "\(tally.summary())", "chaos": "\(chaos.status.active ? "on" : "off")"])
                }
                // Requests stuck behind stalls must not pile up without bound.
                if inFlight.count.withLock({ $0 }) < 200 {
                    let operation = nextOperation()
                    inFlight.count.withLock { $0 += 1 }
                    group.addTask {
                        defer { inFlight.count.withLock { $0 -= 1 } }
                        await perform(operation, client)
                    }
                }
                tick += interval
                try await Task.sleep(until: tick, clock: clock)
            }
        }
        logger.info("traffic done", metadata: ["sent": "\(tally.summary())"])
    }

    /// Logs in as the administrator, creates a few users and logs in as one of them.
    private func setUp(_ client: HTTPClient) async throws {
        // Port 0 is only known once the gateway has bound it.
        while !gateway.isBound { try await Task.sleep(for: .milliseconds(50)) }
        var adminToken: String?
        while adminToken == nil {
            adminToken = try await login(client, email: adminEmail, password: password)
            if adminToken == nil { try await Task.sleep(for: .milliseconds(500)) }
        }
        world.state.withLock { $0.adminToken = adminToken! }
        var created: [(Int64, String)] = []
        for index in 0..<5 {
            let email = "demo-\(configuration.seed)-\(UInt32.random(in: 0...UInt32.max))-\(index)@example.com"
            let (status, body) = try await send(client, .POST, "/api/v1/users", body: ["name": "Demo User \(index)", "email": email], token: adminToken)
            if status == 201, let user = try? JSONBody.decode(User.self, from: body) { created.append((user.id, user.email)) }
        }
        let userToken = try await created.first.asyncMap { try await login(client, email: $0.1, password: password) } ?? nil
        world.state.withLock { world in
            world.userIDs = created.map(\.0)
            world.userToken = userToken ?? "none"
        }
        logger.info("traffic driver ready", metadata: ["users": "\(created.count)"])
    }

    private func nextOperation() -> Operation {
        world.state.withLock { world in
            if Double.random(in: 0..<1, using: &world.random) < configuration.errorRatio {
                return Operation.bad.randomElement(using: &world.random)!
            }
            var pick = Int.random(in: 0..<Operation.good.reduce(0) { $0 + $1.1 }, using: &world.random)
            for (operation, weight) in Operation.good {
                if pick < weight { return operation }
                pick -= weight
            }
            return .getUser
        }
    }

    private func perform(_ operation: Operation, _ client: HTTPClient) async {
        let (adminToken, userToken, someID, serial, deletable) = world.state.withLock { world in
            world.next += 1
            let id = world.userIDs.isEmpty ? 1 : world.userIDs[Int.random(in: 0..<world.userIDs.count, using: &world.random)]
            // Keep a few users around so reads keep finding someone.
            let deletable: Int64? = operation == .deleteUser && world.userIDs.count > 5 ? world.userIDs.removeLast() : nil
            return (world.adminToken, world.userToken, id, world.next, deletable)
        }
        let fresh = "user-\(configuration.seed)-\(serial)-\(UInt32.random(in: 0...UInt32.max))@example.com"
        do {
            let status: Int
            switch operation {
            case .getUser: status = try await send(client, .GET, "/api/v1/users/\(someID)").0
            case .listUsers: status = try await send(client, .GET, "/api/v1/users?limit=20").0
            case .createUser:
                let (code, body) = try await send(client, .POST, "/api/v1/users", body: ["name": "User \(serial)", "email": fresh], token: adminToken)
                if code == 201, let user = try? JSONBody.decode(User.self, from: body) { world.state.withLock { $0.userIDs.append(user.id) } }
                status = code
            case .updateUser:
                status = try await send(client, .PUT, "/api/v1/users/\(someID)", body: ["name": "Renamed \(serial)", "email": fresh], token: adminToken).0
            case .deleteUser:
                status = try await send(client, .DELETE, "/api/v1/users/\(deletable ?? 999_999_999)", token: adminToken).0
            case .login: status = try await send(client, .POST, "/api/v1/auth/login", body: ["email": adminEmail, "password": password]).0
            case .verify: status = try await send(client, .GET, "/api/v1/auth/verify", token: userToken).0
            case .invalidEmail: status = try await send(client, .POST, "/api/v1/users", body: ["name": "Bad", "email": "not-an-email"], token: adminToken).0
            case .wrongPassword: status = try await send(client, .POST, "/api/v1/auth/login", body: ["email": adminEmail, "password": "wrong"]).0
            case .missingToken: status = try await send(client, .POST, "/api/v1/users", body: ["name": "Anon", "email": fresh]).0
            case .notAdmin: status = try await send(client, .DELETE, "/api/v1/users/\(someID)", token: userToken).0
            case .unknownUser: status = try await send(client, .GET, "/api/v1/users/999999999").0
            case .duplicateEmail: status = try await send(client, .POST, "/api/v1/users", body: ["name": "Twin", "email": adminEmail], token: adminToken).0
            }
            tally.record(status)
        } catch {
            tally.record(0)
        }
    }

    private func login(_ client: HTTPClient, email: String, password: String) async throws -> String? {
        struct Reply: Decodable { var token: String }
        guard let reply = try? await send(client, .POST, "/api/v1/auth/login", body: ["email": email, "password": password]),
            reply.0 == 200
        else { return nil }
        return try? JSONBody.decode(Reply.self, from: reply.1).token
    }

    private func send(
        _ client: HTTPClient,
        _ method: HTTPMethod,
        _ path: String,
        body: [String: String]? = nil,
        token: String? = nil
    ) async throws -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: gateway.baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return (Int(response.status.code), Array(bytes.readableBytesView))
    }
}

/// A lock-protected value shared by the driver's concurrent requests.
private final class Shared<Value: Sendable>: Sendable {
    let state: Mutex<Value>

    init(_ value: Value) {
        state = Mutex(value)
    }
}

/// Requests sent and not yet answered.
private final class InFlight: Sendable {
    let count = Mutex(0)
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
