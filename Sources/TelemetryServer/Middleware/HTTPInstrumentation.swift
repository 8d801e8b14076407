import CoreMetrics
import TelemetryMetrics
import Tracing

/// What the server middleware and the HTTP client wrapper share: the tracer that makes spans
/// and propagates context, the RED metrics recorder, and the error-rate window.
public final class HTTPInstrumentation: Sendable {
    /// The tracer; also the instrument that extracts and injects W3C headers.
    public let tracer: any Tracer
    /// The recorder of `http_*`, `active_connections` and `error_rate`.
    public let metrics: HTTPServerMetrics
    private let errorRates: ErrorRateTracker
    private let elapsed: @Sendable () -> Duration

    /// Creates instrumentation for `service`.
    ///
    /// - Parameters:
    ///   - service: the `service` label of `active_connections` and `error_rate`.
    ///   - tracer: default the bootstrapped `InstrumentationSystem.tracer`.
    ///   - metricsFactory: default the bootstrapped swift-metrics factory.
    ///   - errorRateWindow: how far back `error_rate` looks. Default 60 seconds.
    ///   - clock: times requests and ages the error-rate window.
    public init<C: Clock<Duration>>(
        service: String,
        tracer: (any Tracer)? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        errorRateWindow: Duration = .seconds(60),
        clock: C = ContinuousClock()
    ) {
        self.tracer = tracer ?? InstrumentationSystem.tracer
        self.metrics = HTTPServerMetrics(service: service, factory: metricsFactory)
        self.errorRates = ErrorRateTracker(window: errorRateWindow)
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// Time since this instrumentation was created, for measuring request durations.
    var now: Duration { elapsed() }

    /// Records a finished server request in every metric; returns the seed error type of a
    /// failed one.
    @discardableResult
    func recordServerRequest(method: String, route: String, status: Int, started: Duration) -> String? {
        let finished = elapsed()
        metrics.requestFinished(method: method, path: route, status: status, duration: finished - started)
        let errorType = HTTPErrorCategory.type(forStatus: status)
        for (type, rate) in errorRates.record(errorType: errorType, at: finished) {
            metrics.setErrorRate(rate, type: type)
        }
        return errorType
    }
}
