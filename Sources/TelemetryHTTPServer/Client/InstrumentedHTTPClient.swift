import AsyncHTTPClient
import ErrorAggregation
import Logging
import NIOCore
import NIOHTTP1
import Tracing

/// An AsyncHTTPClient that traces every outgoing request.
///
/// Each request gets a CLIENT span (child of the task's current span) named `METHOD` or
/// `METHOD template`, carries `traceparent`/`tracestate` from the tracer's injector so the
/// callee continues the trace, and records `http.request.method`, `url.full`, `server.address`,
/// `server.port` and `http.response.status_code`; a 4xx/5xx answer or a transport error sets
/// status ERROR and `error.type` (the seed's error type names).
///
/// The wrapped client's own tracing is switched off so requests are not traced twice.
public final class InstrumentedHTTPClient: Sendable {
    /// The underlying client; requests sent through it directly are not traced.
    public let client: HTTPClient
    private let tracer: any Tracer

    /// Creates a client with its own connection pool; call ``shutdown()`` when done.
    ///
    /// - Parameter tracer: default the bootstrapped `InstrumentationSystem.tracer`.
    public init(configuration: HTTPClient.Configuration = .init(), tracer: (any Tracer)? = nil) {
        var configuration = configuration
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.tracer = tracer ?? InstrumentationSystem.tracer
    }

    /// Shuts the connection pool down.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends `request` inside a CLIENT span.
    ///
    /// - Parameters:
    ///   - template: a low-cardinality name for the URL (`/users/{id}`), appended to the span name.
    ///   - timeout: the whole request's deadline.
    public func execute(
        _ request: HTTPClientRequest,
        template: String? = nil,
        timeout: TimeAmount = .seconds(30),
        logger: Logger? = nil
    ) async throws -> HTTPClientResponse {
        var request = request
        let method = request.method.rawValue
        let context = ServiceContext.current ?? .topLevel
        let span = tracer.startSpan(template.map { "\(method) \($0)" } ?? method, context: context, ofKind: .client)
        defer { span.end() }
        span.attributes["http.request.method"] = method
        span.attributes["url.full"] = request.url
        if let target = Self.target(of: request.url) {
            span.attributes["server.address"] = target.host
            if let port = target.port { span.attributes["server.port"] = port }
        }
        if let template { span.attributes["url.template"] = template }
        tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())

        do {
            let response = try await client.execute(request, timeout: timeout, logger: logger)
            let status = Int(response.status.code)
            span.attributes["http.response.status_code"] = status
            if let errorType = ErrorClassifier.classify(statusCode: status) {
                span.attributes["error.type"] = errorType.rawValue
                span.setStatus(SpanStatus(code: .error))
            }
            return response
        } catch {
            span.attributes["error.type"] = Self.errorType(of: error).rawValue
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The seed error type of a transport failure: AsyncHTTPClient's timeouts are `timeout`,
    /// refused or dropped connections `service_unavailable`, anything else as classified.
    static func errorType(of error: any Error) -> ErrorType {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout || error == .writeTimeout {
                return .timeout
            }
            if error == .remoteConnectionClosed { return .serviceUnavailable }
        }
        if error is IOError { return .serviceUnavailable }
        return ErrorClassifier.classify(error)
    }

    /// Host and port of an absolute URL, without Foundation.
    static func target(of url: String) -> (host: String, port: Int?)? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        guard !hostPort.isEmpty else { return nil }
        let (host, port) = Authority.split(hostPort)
        if let port { return (host, port) }
        return (host, url.hasPrefix("https") ? 443 : 80)
    }
}
