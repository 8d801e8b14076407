import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import TelemetryHTTPServer
import Tracing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the W3C Trace Context harness needs from a service: `POST /test` with a JSON array of
/// ``HarnessInstruction``s, each answered by POSTing its `arguments` to its `url`.
///
/// The request passes through ``TelemetryMiddleware``, which continues the caller's trace from
/// its `traceparent`/`tracestate` (or starts a new one), and every callback goes out through
/// ``InstrumentedHTTPClient`` as a child of that server span, so the harness sees exactly what
/// the SDK propagates.
struct TraceContextTestService: Sendable {
    /// The route the harness is pointed at.
    static let path = "/test"

    /// What the middleware records with; its tracer is the client's too.
    let instrumentation: HTTPInstrumentation
    /// Sends the callbacks; ``shutdown()`` closes its connection pool.
    let client: InstrumentedHTTPClient
    /// How long one callback may take; the harness itself waits 5 s by default.
    let callbackTimeout: TimeAmount

    init(tracer: any Tracer, callbackTimeout: TimeAmount = .seconds(10)) {
        instrumentation = HTTPInstrumentation(service: "telemetry-tracecontext-service", tracer: tracer)
        client = InstrumentedHTTPClient(tracer: tracer)
        self.callbackTimeout = callbackTimeout
    }

    /// A router serving ``path`` behind the tracing middleware.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: TelemetryMiddleware(instrumentation: instrumentation))
        router.post(RouterPath(Self.path)) { request, context -> HTTPResponse.Status in
            let instructions = try await request.decode(as: [HarnessInstruction].self, context: context)
            try await perform(instructions)
            return .ok
        }
        return router
    }

    /// POSTs each instruction's `arguments` to its `url`, one after another, in the current
    /// task's trace context.
    ///
    /// - Throws: `HTTPError(.badRequest)` before sending anything when a URL is not an absolute
    ///   `http(s)` URL; `HTTPError(.badGateway)` naming the URL when a callback fails.
    func perform(_ instructions: [HarnessInstruction]) async throws {
        if let unusable = instructions.first(where: { !$0.hasHTTPURL }) {
            throw HTTPError(.badRequest, message: "\"\(unusable.url)\" is not an absolute http(s) URL")
        }
        let encoder = JSONEncoder()
        for instruction in instructions {
            var request = HTTPClientRequest(url: instruction.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try encoder.encode(instruction.arguments)))
            do {
                let response = try await client.execute(request, timeout: callbackTimeout)
                // The connection goes back to the pool only once the body has been read.
                for try await _ in response.body {}
            } catch {
                throw HTTPError(.badGateway, message: "POST \(instruction.url) failed: \(error)")
            }
        }
    }

    /// Closes the client's connections; call once the server has stopped.
    func shutdown() async throws {
        try await client.shutdown()
    }
}
