import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Synchronization
import TelemetryCore
import TelemetryMetrics
import TelemetryTesting
import TelemetryTracing
import Testing

@testable import TelemetryHTTPServer

/// The cross-service test with the project's own tracer: W3C headers written by
/// `TelemetryTracer`'s injector and read by its extractor across a real HTTP hop.
@Suite struct TelemetryTracerTraceTests {
    @Test func gatewayToUserServiceIsOneTrace() async throws {
        let exporter = InMemorySpanExporter()
        let processor = SimpleSpanProcessor(exporter: exporter)
        let tracer = TelemetryTracer(processor: processor)
        let gateway = TestBackend(service: "gateway")
        let users = TestBackend(service: "user-service")
        let client = InstrumentedHTTPClient(tracer: tracer)
        let usersPort = Mutex(0)

        let usersRouter = Router()
        usersRouter.add(
            middleware: TelemetryMiddleware(
                instrumentation: HTTPInstrumentation(service: "user-service", tracer: tracer, metricsFactory: users.metrics.factory)
            )
        )
        usersRouter.get("/api/v1/users/{id}") { _, context in "user \(try context.parameters.require("id"))" }

        let gatewayRouter = Router()
        gatewayRouter.add(
            middleware: TelemetryMiddleware(
                instrumentation: HTTPInstrumentation(service: "gateway", tracer: tracer, metricsFactory: gateway.metrics.factory)
            )
        )
        gatewayRouter.get("/profile/{id}") { _, context in
            let id = try context.parameters.require("id")
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(usersPort.withLock { $0 })/api/v1/users/\(id)"),
                template: "/api/v1/users/{id}"
            )
            return String(buffer: try await response.body.collect(upTo: 1 << 16))
        }

        let gatewayApplication = Application(router: gatewayRouter)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await processor.run() }
            do {
                try await Application(router: usersRouter).test(.ahc(.http)) { usersClient in
                    usersPort.withLock { $0 = usersClient.port ?? 0 }
                    try await gatewayApplication.test(.ahc(.http)) { gatewayClient in
                        let response = try await gatewayClient.execute(uri: "/profile/9", method: .get)
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body) == "user 9")
                    }
                }
                try await processor.forceFlush()
            } catch {
                try? await client.shutdown()
                tasks.cancelAll()
                throw error
            }
            try await client.shutdown()
            tasks.cancelAll()
        }

        let spans = exporter.spans
        #expect(spans.count == 3)
        let gatewayServer = try #require(spans.first { $0.kind == .server && $0.name == "GET /profile/{id}" })
        let clientSpan = try #require(spans.first { $0.kind == .client })
        let usersServer = try #require(spans.first { $0.kind == .server && $0.name == "GET /api/v1/users/{id}" })
        #expect(Set(spans.map(\.traceID)).count == 1)
        #expect(gatewayServer.parentSpanID == nil)
        #expect(clientSpan.parentSpanID == gatewayServer.spanID)
        #expect(usersServer.parentSpanID == clientSpan.spanID)
        #expect(usersServer.attributes["http.route"]?.stringValue == "/api/v1/users/{id}")
        #expect(usersServer.attributes["http.response.status_code"]?.intValue == 200)
        #expect(clientSpan.attributes["http.response.status_code"]?.intValue == 200)
        #expect(clientSpan.attributes["url.full"]?.stringValue?.hasSuffix("/api/v1/users/9") == true)
        #expect(!usersServer.status.isError && !clientSpan.status.isError)
    }
}
