import CoreMetrics
import ErrorAggregation
import TelemetryCore
import TelemetryMetrics
import TelemetryTracing
import Tracing

/// What the server middleware and the HTTP client wrapper share: the tracer that makes spans
/// and propagates context, the RED metrics recorder, and the error aggregator behind
/// `error_rate{service,type}` and the error endpoints.
public final class HTTPInstrumentation: Sendable {
    /// The service these requests belong to.
    public let service: String
    /// The tracer; also the instrument that extracts and injects W3C headers.
    public let tracer: any Tracer
    /// The recorder of `http_*` and `active_connections`.
    public let metrics: HTTPServerMetrics
    /// Counts requests and classified errors; exports `error_rate`.
    public let errors: ErrorAggregator
    /// The mean duration of recent requests, behind the `high_response_time` alert.
    public let responseTimes = ResponseTimes()
    private let elapsed: @Sendable () -> Duration

    /// Creates instrumentation for `service`.
    ///
    /// - Parameters:
    ///   - service: the `service` label of `active_connections` and `error_rate`.
    ///   - tracer: default the bootstrapped `InstrumentationSystem.tracer`.
    ///   - metricsFactory: default the bootstrapped swift-metrics factory.
    ///   - errors: default a new aggregator exporting to `metricsFactory`.
    ///   - clock: times requests.
    public init<C: Clock<Duration>>(
        service: String,
        tracer: (any Tracer)? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        errors: ErrorAggregator? = nil,
        clock: C = ContinuousClock()
    ) {
        self.service = service
        self.tracer = tracer ?? InstrumentationSystem.tracer
        self.metrics = HTTPServerMetrics(service: service, factory: metricsFactory)
        self.errors = errors ?? ErrorAggregator(clock: clock, metricsFactory: metricsFactory)
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// Time since this instrumentation was created, for measuring request durations.
    var now: Duration { elapsed() }

    /// Records a finished server request in every metric and, when it failed, in the error
    /// aggregator; returns the failure's error type.
    ///
    /// - Parameter error: a thrown error that carries no HTTP status of its own (a breaker
    ///   rejection, a timeout), classified by itself rather than by the 500 it became.
    @discardableResult
    func recordServerRequest(
        method: String,
        route: String,
        status: Int,
        error: (any Error)?,
        started: Duration,
        span: any Span
    ) -> ErrorType? {
        let duration = elapsed() - started
        metrics.requestFinished(method: method, path: route, status: status, duration: duration)
        responseTimes.record(duration)
        errors.recordRequest(service: service)
        guard let type = Self.errorType(status: status, error: error) else { return nil }
        let spanContext = (span as? TelemetrySpan)?.spanContext
        errors.record(
            service: service,
            type: type,
            message: error.map { String(describing: $0) } ?? "HTTP \(status) on \(method) \(route)",
            traceID: spanContext?.traceID,
            spanID: spanContext?.spanID
        )
        return type
    }

    /// The status code's type, or for an error that carries no HTTP status (a breaker
    /// rejection, a timeout), the error's own classification.
    static func errorType(status: Int, error: (any Error)?) -> ErrorType? {
        if let error { return ErrorClassifier.classify(error) }
        return ErrorClassifier.classify(statusCode: status)
    }
}
