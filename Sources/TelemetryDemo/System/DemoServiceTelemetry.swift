import CircuitBreakers
import ErrorAggregation
import HealthChecks
import Hummingbird
import ServiceLifecycle
import TelemetryHTTPServer
import TelemetryMetrics
import Tracing

/// One demo service's instruments: its own tracer (so spans carry its `service.name`), its
/// own Prometheus registry behind `/metrics`, health checks, and the error aggregator.
///
/// The three services share a process but not their telemetry, exactly as if each ran alone.
public struct DemoServiceTelemetry: Sendable {
    /// The service name: `api-gateway`, `auth-service` or `user-service`.
    public let service: String
    /// The tracer whose spans carry this service's resource.
    public let tracer: any Tracer
    /// This service's metrics registry.
    public let metrics: PrometheusMetricsBackend
    /// The checks behind `/health`, `/ready` and `/database/status`.
    public let health: HealthRegistry
    /// What the server middleware and the instrumented client share.
    public let instrumentation: HTTPInstrumentation
    /// The alert thresholds; the error-rate rule is the aggregator's own.
    public let alerting: ServiceAlerts.Configuration

    /// Creates the instruments of `service`.
    ///
    /// - Parameter metrics: `/metrics` settings (`METRICS_ENABLED`, `METRICS_PATH`).
    public init(
        service: String,
        tracer: any Tracer,
        version: String,
        metrics: PrometheusMetricsBackend.Configuration = .default,
        alerting: ServiceAlerts.Configuration = .default
    ) {
        self.service = service
        self.tracer = tracer
        self.metrics = PrometheusMetricsBackend(configuration: metrics)
        self.health = HealthRegistry(configuration: .init(cacheTTL: .milliseconds(500), version: version))
        self.alerting = alerting
        let errors = ErrorAggregator(configuration: alerting.errorAggregator, clock: ContinuousClock(), metricsFactory: self.metrics.factory)
        self.instrumentation = HTTPInstrumentation(service: service, tracer: tracer, metricsFactory: self.metrics.factory, errors: errors)
    }

    /// The seed's alerts for this service: its error rate and response time, each of
    /// `downstreams`' response times, and every breaker of `breakers`.
    func makeAlerts(breakers: CircuitBreakerRegistry? = nil, downstreams: [Downstream] = []) -> ServiceAlerts {
        let service = self.service
        let own = instrumentation.responseTimes
        return ServiceAlerts(
            configuration: alerting,
            errors: errors,
            responseTimes: {
                var means = [service: own.mean].compactMapValues { $0 }
                for downstream in downstreams {
                    let stats = downstream.stats.snapshot()
                    if stats.calls > 0 { means[downstream.name] = stats.recentMeanLatency }
                }
                return means
            },
            breakers: { breakers?.statuses() ?? [] }
        )
    }

    /// The service's error aggregator.
    public var errors: ErrorAggregator { instrumentation.errors }

    /// A router with the telemetry middleware and the health and metrics endpoints in place.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: TelemetryMiddleware(instrumentation: instrumentation))
        TelemetryEndpoints(health: health, metrics: metrics).addRoutes(to: router)
        return router
    }
}

/// A closure run as a `Service` until graceful shutdown.
struct BackgroundTask: Service, CustomStringConvertible {
    let name: String
    let body: @Sendable () async throws -> Void

    var description: String { name }

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await body() }
    }
}
