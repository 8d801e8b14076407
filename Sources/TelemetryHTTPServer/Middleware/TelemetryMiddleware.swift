import ErrorAggregation
import HTTPTypes
import Hummingbird
import TelemetryMetrics
import Tracing

/// Traces and measures every request a Hummingbird router serves.
///
/// Per request: one SERVER span named `METHOD /route/template`, continuing the caller's trace
/// from its `traceparent`/`tracestate` headers, with the semantic-convention attributes
/// `http.request.method`, `http.route`, `url.path`, `server.address`, `server.port` and
/// `http.response.status_code`, status ERROR on 5xx; `http_requests_total` and
/// `http_request_duration_seconds` labelled with the route template (never the raw path);
/// `active_connections`; and failed responses counted into `error_rate` by error type.
///
/// Metrics are recorded when the handler returns, before the body is written, so a client
/// that has read a response will find it counted.
public struct TelemetryMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The `path` label and span name suffix for requests that matched no route.
    public static var unmatchedRoute: String { "unmatched" }

    private let instrumentation: HTTPInstrumentation

    /// Creates the middleware over shared instrumentation.
    public init(instrumentation: HTTPInstrumentation) {
        self.instrumentation = instrumentation
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let instrumentation = self.instrumentation
        let started = instrumentation.now
        let method = request.method.rawValue
        var parent = ServiceContext.current ?? .topLevel
        instrumentation.tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())

        let span = instrumentation.tracer.startSpan(method, context: parent, ofKind: .server)
        span.attributes["http.request.method"] = method
        span.attributes["url.path"] = request.uri.path
        if let scheme = request.head.scheme { span.attributes["url.scheme"] = scheme }
        if let authority = request.head.authority {
            let (host, port) = Authority.split(authority)
            span.attributes["server.address"] = host
            if let port { span.attributes["server.port"] = port }
        }
        instrumentation.metrics.requestStarted()

        let status: Int
        var unclassified: (any Error)?
        let outcome: Result<Response, any Error>
        do {
            let response = try await ServiceContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            status = Int(response.status.code)
            outcome = .success(response)
        } catch {
            if let httpError = error as? any HTTPResponseError {
                status = Int(httpError.status.code)
                // An error that names its own type keeps it: a breaker rejection answered 503
                // is `circuit_breaker`, not `service_unavailable`.
                if error is any ClassifiableError { unclassified = error }
            } else {
                status = 500
                unclassified = error
            }
            span.recordError(error)
            outcome = .failure(error)
        }

        let route = Self.route(context.endpointPath)
        span.operationName = route == Self.unmatchedRoute ? method : "\(method) \(route)"
        if route != Self.unmatchedRoute { span.attributes["http.route"] = route }
        span.attributes["http.response.status_code"] = status
        let errorType = instrumentation.recordServerRequest(
            method: method,
            route: route,
            status: status,
            error: unclassified,
            started: started,
            span: span
        )
        if let errorType { span.attributes["error.type"] = errorType.rawValue }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        span.end()
        return try outcome.get()
    }

    /// The route template, or ``unmatchedRoute`` when the router found none (Hummingbird then
    /// reports a placeholder that is not a path).
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath.hasPrefix("/") else { return unmatchedRoute }
        return endpointPath
    }
}
