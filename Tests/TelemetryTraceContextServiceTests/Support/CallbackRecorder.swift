import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// What the echo server saw of one callback from the service.
struct ReceivedCallback: Sendable {
    var path: String
    /// Every `traceparent` field, in order (W3C expects exactly one).
    var traceparent: [String]
    /// Every `tracestate` field, in order.
    var tracestate: [String]
    var body: String
}

/// An echo server's routes: answers `POST /callback/{id}` with 200 and remembers the request.
final class CallbackRecorder: Sendable {
    static let traceparent = HTTPField.Name("traceparent")!
    static let tracestate = HTTPField.Name("tracestate")!

    private let received = Mutex<[ReceivedCallback]>([])

    var callbacks: [ReceivedCallback] { received.withLock { $0 } }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/callback/{id}") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let callback = ReceivedCallback(
                path: request.uri.path,
                traceparent: request.headers[values: Self.traceparent],
                tracestate: request.headers[values: Self.tracestate],
                body: String(buffer: body)
            )
            self.received.withLock { $0.append(callback) }
            return .ok
        }
        return router
    }
}
