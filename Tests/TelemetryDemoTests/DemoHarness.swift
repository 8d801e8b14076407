import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TelemetryCore
import TelemetryDemo
import TelemetryHTTPServer
import TelemetryMetrics
import TelemetryTesting
import TelemetryTracing
import Tracing

/// The three services on loopback (port 0), SQLite in a temporary folder, spans in memory.
struct DemoHarness {
    let system: DemoSystem
    let spans: InMemorySpanExporter
    let client: HTTPClient
    let directory: String

    var gateway: String { system.gatewayAddress.baseURL }
    var userService: String { system.userAddress.baseURL }
    var authService: String { system.authAddress.baseURL }

    /// Runs `body` against a fresh system and shuts everything down afterwards.
    static func run(
        configure: (inout DemoSystem.Configuration) -> Void = { _ in },
        _ body: (DemoHarness) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "telemetry-demo-tests-\(UUID().uuidString)"
        var configuration = DemoSystem.Configuration(gatewayPort: 0, authPort: 0, userPort: 0, dataDirectory: directory)
        configuration.telemetryServer.healthPort = 0
        configuration.telemetryServer.metrics.port = 0
        configure(&configuration)
        let spans = InMemorySpanExporter()
        var processors: [any Service] = []
        var tracers: [String: any Tracer] = [:]
        for name in ["api-gateway", "auth-service", "user-service"] {
            let processor = SimpleSpanProcessor(exporter: spans)
            processors.append(processor)
            tracers[name] = TelemetryTracer(processor: processor, configuration: .init(resource: TelemetryResource(serviceName: name)))
        }
        var logger = Logger(label: "telemetry-demo-tests")
        logger.logLevel = .warning
        let system = try DemoSystem(configuration: configuration, logger: logger) { tracers[$0]! }
        let group = ServiceGroup(services: processors + system.services, logger: logger)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let harness = DemoHarness(system: system, spans: spans, client: client, directory: directory)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var failure: (any Error)?
            do {
                guard await system.waitUntilReady() else { throw HarnessError(message: "the demo services did not become ready") }
                try await body(harness)
            } catch {
                failure = error
            }
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            try? await client.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            if let failure { throw failure }
        }
    }

    struct Reply {
        var status: Int
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw HarnessError(message: "not a JSON object: \(text)")
            }
            return object
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: Data(body))
        }
    }

    func send(_ method: HTTPMethod, _ url: String, json: [String: String]? = nil, token: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return Reply(status: Int(response.status.code), body: Array(body.readableBytesView))
    }

    /// Logs in through the gateway and returns the token.
    func login(_ email: String = "admin@example.com", password: String = "demo-password") async throws -> String {
        let reply = try await send(.POST, gateway + "/api/v1/auth/login", json: ["email": email, "password": password])
        guard reply.status == 200, let token = try reply.json()["token"] as? String else {
            throw HarnessError(message: "login as \(email) answered \(reply.status): \(reply.text)")
        }
        return token
    }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
