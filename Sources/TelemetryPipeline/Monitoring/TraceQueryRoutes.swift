import HTTPTypes
import Hummingbird
import NIOCore
import TraceStorage

/// Jaeger's query API (``JaegerQueryAPI``) on the monitoring endpoint, so the Jaeger UI and
/// Grafana's Jaeger data source can be pointed at the pipeline.
struct TraceQueryRoutes: Sendable {
    let api: JaegerQueryAPI

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/services") { request, _ in respond(to: request) }
        router.get("/api/services/:service/operations") { request, _ in respond(to: request) }
        router.get("/api/operations") { request, _ in respond(to: request) }
        router.get("/api/traces") { request, _ in respond(to: request) }
        router.get("/api/traces/:traceID") { request, _ in respond(to: request) }
        router.get("/api/dependencies") { request, _ in respond(to: request) }
    }

    func respond(to request: Request) -> Response {
        guard let answer = api.respond(path: request.uri.path, query: request.uri.query) else {
            return Response(status: .notFound)
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
