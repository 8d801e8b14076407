import ErrorAggregation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TelemetryCore
import Testing
import Tracing

@testable import TelemetryHTTPServer

struct UpstreamTimeout: Error {}

@Suite struct TelemetryMiddlewareTests {
    func application(_ backend: TestBackend) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: TelemetryMiddleware(instrumentation: backend.instrumentation))
        router.get("/api/v1/users/{id}") { _, context in
            "user \(try context.parameters.require("id"))"
        }
        router.get("/boom") { _, _ -> String in
            throw HTTPError(.internalServerError)
        }
        router.post("/login") { _, _ -> String in
            throw HTTPError(.unauthorized)
        }
        router.get("/slow") { _, _ -> String in
            throw UpstreamTimeout()
        }
        return Application(router: router)
    }

    @Test func serverSpanContinuesTheCallersTraceAndNamesTheRoute() async throws {
        let backend = TestBackend()
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let parentID = "00f067aa0ba902b7"
        try await application(backend).test(.ahc(.http)) { client in
            let response = try await client.execute(
                uri: "/api/v1/users/42",
                method: .get,
                headers: [HTTPField.Name("traceparent")!: "00-\(traceID)-\(parentID)-01"]
            )
            #expect(response.status == .ok)
        }
        let span = try #require(backend.tracer.finished.first)
        #expect(span.name == "GET /api/v1/users/{id}")
        #expect(span.kind == .server)
        #expect(span.context.traceID.hexString == traceID)
        #expect(span.context.parentSpanID?.hexString == parentID)
        #expect(span.attributes.get("http.request.method") == .string("GET"))
        #expect(span.attributes.get("http.route") == .string("/api/v1/users/{id}"))
        #expect(span.attributes.get("url.path") == .string("/api/v1/users/42"))
        #expect(span.attributes.get("http.response.status_code") == .int64(200))
        #expect(span.attributes.get("server.address") == .string("localhost"))
        #expect(span.status == nil)
    }

    @Test func fiveHundredsSetErrorStatusAndFourHundredsDoNot() async throws {
        let backend = TestBackend()
        try await application(backend).test(.ahc(.http)) { client in
            let boom = try await client.execute(uri: "/boom", method: .get)
            #expect(boom.status == .internalServerError)
            let login = try await client.execute(uri: "/login", method: .post)
            #expect(login.status == .unauthorized)
        }
        let spans = backend.tracer.finished
        let boom = try #require(spans.first { $0.name == "GET /boom" })
        #expect(boom.status?.code == .error)
        #expect(boom.errors == 1)
        #expect(boom.attributes.get("error.type") == .string("internal"))
        let login = try #require(spans.first { $0.name == "POST /login" })
        #expect(login.status == nil)
        #expect(login.attributes.get("error.type") == .string("authentication"))
    }

    @Test func metricsCountExactlyTheRequestsMadeByRouteTemplate() async throws {
        let backend = TestBackend(service: "user-service")
        try await application(backend).test(.ahc(.http)) { client in
            for id in 0..<7 { _ = try await client.execute(uri: "/api/v1/users/\(id)", method: .get) }
            for _ in 0..<3 { _ = try await client.execute(uri: "/login", method: .post) }
            _ = try await client.execute(uri: "/nowhere/\(UInt64.random(in: 0...UInt64.max))", method: .get)
        }
        #expect(backend.sample(#"http_requests_total{method="GET",path="/api/v1/users/{id}",status="200"}"#) == 7)
        #expect(backend.sample(#"http_requests_total{method="POST",path="/login",status="401"}"#) == 3)
        #expect(backend.sample(#"http_requests_total{method="GET",path="unmatched",status="404"}"#) == 1)
        #expect(backend.sample(#"http_request_duration_seconds_count{method="GET",path="/api/v1/users/{id}",status="200"}"#) == 7)
        #expect(backend.sample(#"active_connections{service="user-service"}"#) == 0)
        // No raw path ever becomes a label value.
        #expect(!backend.exposition.contains("/api/v1/users/3"))
        // error_rate is errors ÷ requests when the error was recorded: the third 401 was the
        // tenth request, the 404 the eleventh.
        let authentication = try #require(backend.sample(#"error_rate{service="user-service",type="authentication"}"#))
        #expect(abs(authentication - 3.0 / 10.0) < 1e-9)
        let notFound = try #require(backend.sample(#"error_rate{service="user-service",type="not_found"}"#))
        #expect(abs(notFound - 1.0 / 11.0) < 1e-9)
    }

    @Test func errorsWithoutAStatusAreClassifiedByThemselves() async throws {
        let backend = TestBackend(service: "gateway")
        try await application(backend).test(.ahc(.http)) { client in
            let slow = try await client.execute(uri: "/slow", method: .get)
            #expect(slow.status == .internalServerError)
        }
        let span = try #require(backend.tracer.finished.first)
        #expect(span.attributes.get("error.type") == .string("timeout"))
        #expect(span.status?.code == .error)
        #expect(backend.sample(#"error_rate{service="gateway",type="timeout"}"#) == 1)
        let stats = backend.instrumentation.errors.stats()
        #expect(stats.services["gateway"]?.totalErrors == 1)
        #expect(stats.byType["timeout"] == 1)
    }

    @Test func authorityParsing() {
        #expect(Authority.split("example.com:8080") == ("example.com", 8080))
        #expect(Authority.split("example.com") == ("example.com", nil))
        #expect(Authority.split("[::1]:9090") == ("::1", 9090))
    }

    @Test func unmatchedRoutesUseAPlaceholder() {
        #expect(TelemetryMiddleware<BasicRequestContext>.route(nil) == "unmatched")
        #expect(TelemetryMiddleware<BasicRequestContext>.route("NotFound") == "unmatched")
        #expect(TelemetryMiddleware<BasicRequestContext>.route("/a/{b}") == "/a/{b}")
    }
}
