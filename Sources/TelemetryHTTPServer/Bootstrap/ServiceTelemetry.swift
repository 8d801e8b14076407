import CircuitBreakers
import ErrorAggregation
import Foundation
import HealthChecks
import Logging
import ServiceLifecycle
import TelemetryCore
import TelemetryMetrics
import TelemetryTracing
import Tracing

/// One bootstrap for everything a service exposes about itself: the tracer, the Prometheus
/// swift-metrics backend, the health registry, the error aggregator and the server of
/// `/health`, `/ready`, `/live`, `/database/status` and `/metrics`.
///
/// It reads the tracing variables (`TRACING_*`, `OTEL_*`, through ``TelemetryBootstrap``),
/// the endpoint variables (`METRICS_*`, `HEALTH_*`, through ``TelemetryServer/Configuration``),
/// the breaker variables (`CIRCUIT_BREAKER_*`, through
/// `CircuitBreaker.Configuration.fromEnvironment`) and the alert thresholds (`ALERT_*`,
/// through ``ServiceAlerts/Configuration``), installs the tracer and the metrics backend
/// process-wide, and returns itself a `Service` that runs the rest:
///
/// ```swift
/// let telemetry = try ServiceTelemetry.bootstrap(serviceName: "checkout") { _ in ConsoleSpanExporter() }
/// telemetry.health.register(DatabaseHealthCheck { try await database.ping() })
/// router.add(middleware: TelemetryMiddleware(instrumentation: telemetry.instrumentation))
/// let group = ServiceGroup(services: [telemetry, app], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
public struct ServiceTelemetry: Sendable {
    /// The endpoint settings read from the environment.
    public let configuration: TelemetryServer.Configuration
    /// The tracer, or `nil` when `TRACING_ENABLED=false` or `OTEL_SDK_DISABLED=true`.
    public let tracer: TelemetryTracer?
    /// The swift-metrics backend behind `/metrics`.
    public let metrics: PrometheusMetricsBackend
    /// The checks behind `/health`, `/ready` and `/database/status`; register checks here.
    public let health: HealthRegistry
    /// The aggregator behind `error_rate{service,type}` and the error endpoints; its gauges
    /// are refreshed at every scrape of `/metrics`.
    public let errors: ErrorAggregator
    /// The service's circuit breakers; breakers created without a configuration follow the
    /// seed's `CIRCUIT_BREAKER_MAX_REQUESTS`, `_INTERVAL`, `_TIMEOUT` and `_FAILURE_THRESHOLD`.
    public let breakers: CircuitBreakerRegistry
    /// The seed's alerts (high error rate, high response time, open breaker), evaluated every
    /// second while ``services`` run.
    public let alerts: ServiceAlerts
    /// Tracer, metrics and errors together, for ``TelemetryMiddleware`` and
    /// ``InstrumentedHTTPClient``.
    public let instrumentation: HTTPInstrumentation
    /// The span processor (an idle service when tracing is off); its graceful shutdown
    /// exports every queued span.
    public let tracing: any Service
    /// The server of the telemetry endpoints on `HEALTH_PORT` and `METRICS_PORT`.
    public let server: TelemetryServer

    /// The services to run, tracing first: a `ServiceGroup` stops services in reverse order,
    /// so spans recorded while the others shut down are still exported.
    /// The breaker reporter keeps the pipeline's view of quiet breakers current (see
    /// ``CircuitBreakerReporter``).
    public var services: [any Service] {
        [tracing, server, AlertEvaluation(alerts: alerts), CircuitBreakerReporter(registries: [breakers])]
    }

    /// Reads the process environment, builds every component, installs the tracer into
    /// `InstrumentationSystem` and (when `METRICS_ENABLED`) the backend into `MetricsSystem`.
    ///
    /// Both are process-wide and can be installed once: call this once, at start-up.
    ///
    /// The one entry point of the SDK: a service with endpoints keeps the default `endpoints`,
    /// a program that only traces passes ``TelemetryServer/Configuration/withoutEndpoints``.
    ///
    /// - Parameters:
    ///   - serviceName: `service.name` and the `service` label, unless `OTEL_SERVICE_NAME` is set.
    ///   - tracing: The tracer's settings in code; the environment's variables win.
    ///   - endpoints: The health and metrics endpoints' settings in code; the environment's
    ///     variables win. Default: health on 8080, metrics on 9090.
    ///   - makeExporter: Builds the span exporter (Jaeger, OTLP, console…) from the environment.
    /// - Throws: An error naming the first malformed variable.
    public static func bootstrap(
        serviceName: String? = nil,
        tracing: TelemetryBootstrap.Configuration = .default,
        endpoints: TelemetryServer.Configuration = .default,
        logger: Logger = Logger(label: "telemetry.server"),
        onListening: @escaping @Sendable (TelemetryServer.Role, Int) async -> Void = { _, _ in },
        makeExporter: (TelemetryBootstrap.ExporterContext) throws -> any SpanExporter
    ) throws -> ServiceTelemetry {
        let telemetry = try ServiceTelemetry(
            serviceName: serviceName,
            tracing: tracing,
            endpoints: endpoints,
            environment: ProcessInfo.processInfo.environment,
            logger: logger,
            onListening: onListening,
            makeExporter: makeExporter
        )
        telemetry.metrics.bootstrap()
        if let tracer = telemetry.tracer { InstrumentationSystem.bootstrap(tracer) }
        return telemetry
    }

    /// Builds every component from `environment` without installing anything process-wide
    /// (tests; applications that install their own backends).
    ///
    /// - Parameter clock: Drives the error windows and request timing; a test clock in tests.
    /// - Throws: An error naming the first malformed variable.
    public init<C: Clock<Duration>>(
        serviceName: String? = nil,
        tracing: TelemetryBootstrap.Configuration = .default,
        endpoints: TelemetryServer.Configuration = .default,
        environment: [String: String],
        clock: C = ContinuousClock(),
        logger: Logger = Logger(label: "telemetry.server"),
        onListening: @escaping @Sendable (TelemetryServer.Role, Int) async -> Void = { _, _ in },
        makeExporter: (TelemetryBootstrap.ExporterContext) throws -> any SpanExporter
    ) throws {
        var configuration = try TelemetryServer.Configuration(environment: environment, base: endpoints)
        let tracingEnvironment = try TelemetryEnvironment(environment)
        var tracing = tracing
        if let serviceName {
            tracing.serviceName = tracing.serviceName ?? serviceName
            if tracingEnvironment.serviceName == nil { configuration.serviceName = serviceName }
        }
        let components = try TelemetryBootstrap.makeComponents(
            configuration: tracing,
            environment: tracingEnvironment,
            makeExporter: makeExporter
        )
        let alerting = try ServiceAlerts.Configuration(environment: environment)
        // Read here, not in the `CircuitBreakers` module, which keeps one environment reader.
        let breakerDefaults = try CircuitBreaker.Configuration.fromEnvironment(environment, base: .default)
        let metrics = PrometheusMetricsBackend(configuration: configuration.metrics)
        let errors = ErrorAggregator(configuration: alerting.errorAggregator, classifier: .default, clock: clock, metricsFactory: metrics.factory)
        // error_rate is a sliding-window value: recompute it when it is read.
        metrics.onCollect { errors.refreshMetrics() }
        let health = HealthRegistry(configuration: configuration.healthRegistry)

        self.configuration = configuration
        self.tracer = components.tracer
        self.metrics = metrics
        self.health = health
        self.errors = errors
        let instrumentation = HTTPInstrumentation(
            service: configuration.serviceName,
            tracer: components.tracer ?? NoOpTracer(),
            metricsFactory: metrics.factory,
            errors: errors,
            clock: clock
        )
        self.instrumentation = instrumentation
        let breakers = CircuitBreakerRegistry(
            service: configuration.serviceName, defaultConfiguration: breakerDefaults, clock: clock, logger: logger,
            metricsFactory: metrics.factory, tracer: components.tracer
        )
        self.breakers = breakers
        let service = configuration.serviceName
        let responseTimes = instrumentation.responseTimes
        self.alerts = ServiceAlerts(
            configuration: alerting, errors: errors,
            responseTimes: { [service: responseTimes.mean].compactMapValues { $0 } },
            breakers: { breakers.statuses() },
            clock: clock
        )
        self.tracing = components.service
        self.server = TelemetryServer(configuration: configuration, health: health, metrics: metrics, logger: logger, onListening: onListening)
    }
}

/// Evaluates a service's alerts every second until graceful shutdown, so an alert's
/// duration advances while nothing reads it.
package struct AlertEvaluation: Service, CustomStringConvertible {
    let alerts: ServiceAlerts

    package init(alerts: ServiceAlerts) {
        self.alerts = alerts
    }

    package var description: String { "alert evaluation" }

    package func run() async throws {
        await cancelWhenGracefulShutdown { await alerts.runEvaluation(every: .seconds(1)) }
    }
}

extension ServiceTelemetry: Service {
    /// Runs ``services`` as one service until graceful shutdown, so a whole service's telemetry
    /// is one entry of the application's `ServiceGroup`: listed first, it stops last, and its
    /// own tracing stops after its servers, exporting every span recorded on the way down.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, logger: Logger(label: "telemetry.server")))
        try await group.run()
    }
}
