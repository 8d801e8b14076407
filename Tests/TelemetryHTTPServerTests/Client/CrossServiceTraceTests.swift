import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Synchronization
import TelemetryCore
import TelemetryMetrics
import Testing
import Tracing

@testable import TelemetryHTTPServer

@Suite struct CrossServiceTraceTests {
    /// A gateway calls a user service over real HTTP on loopback; both are instrumented.
    @Test func oneTraceAcrossTheHTTPHop() async throws {
        let tracer = RecordingTracer()
        let gateway = TestBackend(service: "gateway")
        let users = TestBackend(service: "user-service")
        let gatewayInstrumentation = HTTPInstrumentation(service: "gateway", tracer: tracer, metricsFactory: gateway.metrics.factory)
        let usersInstrumentation = HTTPInstrumentation(service: "user-service", tracer: tracer, metricsFactory: users.metrics.factory)
        let client = InstrumentedHTTPClient(tracer: tracer)
        let usersPort = Mutex(0)

        let usersRouter = Router()
        usersRouter.add(middleware: TelemetryMiddleware(instrumentation: usersInstrumentation))
        usersRouter.get("/api/v1/users/{id}") { _, context in "user \(try context.parameters.require("id"))" }

        let gatewayRouter = Router()
        gatewayRouter.add(middleware: TelemetryMiddleware(instrumentation: gatewayInstrumentation))
        gatewayRouter.get("/profile/{id}") { _, context in
            let id = try context.parameters.require("id")
            let port = usersPort.withLock { $0 }
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/users/\(id)"),
                template: "/api/v1/users/{id}"
            )
            let body = try await response.body.collect(upTo: 1 << 16)
            return "profile of \(String(buffer: body))"
        }

        let gatewayApplication = Application(router: gatewayRouter)
        do {
            try await Application(router: usersRouter).test(.ahc(.http)) { usersClient in
                usersPort.withLock { $0 = usersClient.port ?? 0 }
                try await gatewayApplication.test(.ahc(.http)) { gatewayClient in
                    let response = try await gatewayClient.execute(uri: "/profile/7", method: .get)
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "profile of user 7")
                }
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()

        let spans = tracer.finished
        #expect(spans.count == 3)
        let gatewayServer = try #require(spans.first { $0.name == "GET /profile/{id}" })
        let clientSpan = try #require(spans.first { $0.kind == .client })
        let usersServer = try #require(spans.first { $0.name == "GET /api/v1/users/{id}" && $0.kind == .server })

        #expect(clientSpan.name == "GET /api/v1/users/{id}")
        #expect(Set(spans.map(\.context.traceID)).count == 1)
        #expect(clientSpan.context.parentSpanID == gatewayServer.context.spanID)
        #expect(usersServer.context.parentSpanID == clientSpan.context.spanID)
        #expect(clientSpan.attributes.get("http.response.status_code") == .int64(200))
        #expect(clientSpan.attributes.get("server.address") == .string("127.0.0.1"))
        #expect(clientSpan.attributes.get("server.port") == .int64(Int64(usersPort.withLock { $0 })))
        #expect(clientSpan.attributes.get("http.request.method") == .string("GET"))

        #expect(users.sample(#"http_requests_total{method="GET",path="/api/v1/users/{id}",status="200"}"#) == 1)
        #expect(gateway.sample(#"http_requests_total{method="GET",path="/profile/{id}",status="200"}"#) == 1)
    }

    @Test func clientMarksFailedCallsAsErrors() async throws {
        let tracer = RecordingTracer()
        let client = InstrumentedHTTPClient(tracer: tracer)
        let router = Router()
        router.get("/limited") { _, _ -> String in throw HTTPError(.tooManyRequests) }
        do {
            try await Application(router: router).test(.ahc(.http)) { server in
                let port = server.port ?? 0
                let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/limited"))
                #expect(response.status == .tooManyRequests)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        let span = try #require(tracer.finished.first)
        #expect(span.name == "GET")
        #expect(span.status?.code == .error)
        #expect(span.attributes.get("error.type") == .string("rate_limit"))
    }

    @Test func urlTargets() {
        #expect(InstrumentedHTTPClient.target(of: "http://127.0.0.1:8080/a?b") ?? ("", nil) == ("127.0.0.1", 8080))
        #expect(InstrumentedHTTPClient.target(of: "https://user@example.com/x") ?? ("", nil) == ("example.com", 443))
        #expect(InstrumentedHTTPClient.target(of: "not a url") == nil)
    }
}
