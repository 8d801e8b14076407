import Logging
import ServiceLifecycle
import TelemetryCore
import Tracing

/// The one entry point: reads the environment, builds sampler, tracer, processor and exporter,
/// installs the tracer into `InstrumentationSystem`, and returns the `Service` to run.
///
/// ```swift
/// let tracing = try TelemetryBootstrap.bootstrap(serviceName: "checkout") { _ in ConsoleSpanExporter() }
/// let group = ServiceGroup(services: [tracing, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public enum TelemetryBootstrap {
    /// What the exporter factory learns about the setup.
    public struct ExporterContext: Sendable {
        /// The validated environment (`TRACING_ENDPOINT` and friends).
        public var environment: TelemetryEnvironment
        /// The resource the spans carry.
        public var resource: TelemetryResource
    }

    /// Settings given in code; environment variables override the ones they name.
    public struct Configuration: Sendable {
        /// `service.name`, unless `OTEL_SERVICE_NAME` says otherwise. Default `unknown_service:swift`.
        public var serviceName: String?
        /// `service.version`. Default none.
        public var serviceVersion: String?
        /// The sampler when no sampler variable is set. Default `parentbased_always_on`.
        public var sampler: SamplerConfiguration
        /// Whether spans are batched or exported one by one as they end. Default `true`; set in
        /// code only (OpenTelemetry defines no variable for it).
        public var batching: Bool
        /// Batch settings before `OTEL_BSP_*` overrides. Default: OpenTelemetry's.
        public var batch: BatchSpanProcessor.Configuration
        /// Per-span caps. Default: 128 of everything.
        public var spanLimits: SpanLimits
        /// ID source. Default: ``RandomIDGenerator``.
        public var idGenerator: any IDGenerator

        /// Creates a configuration.
        public init(
            serviceName: String? = nil,
            serviceVersion: String? = nil,
            sampler: SamplerConfiguration = .default,
            batching: Bool = true,
            batch: BatchSpanProcessor.Configuration = .default,
            spanLimits: SpanLimits = .default,
            idGenerator: any IDGenerator = RandomIDGenerator.shared
        ) {
            self.serviceName = serviceName
            self.serviceVersion = serviceVersion
            self.sampler = sampler
            self.batching = batching
            self.batch = batch
            self.spanLimits = spanLimits
            self.idGenerator = idGenerator
        }

        /// The defaults listed on each property.
        public static let `default` = Configuration()
    }

    /// The pieces bootstrap builds; `tracer` is `nil` when tracing is disabled.
    public struct Components: Sendable {
        /// The tracer, or `nil` when `TRACING_ENABLED=false` or `OTEL_SDK_DISABLED=true`.
        public var tracer: TelemetryTracer?
        /// The processor to run (or an idle service when disabled).
        public var service: any Service
        /// The processor, to flush by hand.
        public var processor: (any SpanProcessor)?
    }

    /// Builds everything without installing it (tests; applications with several tracers).
    ///
    /// - Throws: ``ConfigurationError`` naming the first malformed variable.
    public static func makeComponents(
        configuration: Configuration = .default,
        environment: TelemetryEnvironment,
        makeExporter: (ExporterContext) throws -> any SpanExporter
    ) throws -> Components {
        guard environment.isEnabled else { return Components(tracer: nil, service: IdleService(), processor: nil) }
        let resource = TelemetryResource(
            serviceName: configuration.serviceName,
            serviceVersion: configuration.serviceVersion,
            environment: environment
        )
        let exporter = try makeExporter(ExporterContext(environment: environment, resource: resource))
        let processor: any SpanProcessor =
            if configuration.batching {
                BatchSpanProcessor(exporter: exporter, configuration: mergedBatch(configuration.batch, environment))
            } else {
                SimpleSpanProcessor(exporter: exporter)
            }
        let tracer = TelemetryTracer(
            processor: processor,
            configuration: TelemetryTracer.Configuration(
                sampler: (environment.sampler ?? configuration.sampler).makeSampler(),
                idGenerator: configuration.idGenerator,
                resource: resource,
                spanLimits: configuration.spanLimits
            )
        )
        return Components(tracer: tracer, service: processor, processor: processor)
    }

    /// Reads the process environment, builds the tracer and installs it into
    /// `InstrumentationSystem` (once per process), and returns the service to run.
    ///
    /// - Parameters:
    ///   - configuration: Code-side settings; environment variables override them.
    ///   - makeExporter: Builds the exporter (Jaeger, OTLP, console…) from the environment.
    /// - Returns: The span processor as a `Service` for the application's `ServiceGroup`;
    ///   its graceful shutdown exports every queued span.
    /// - Throws: ``ConfigurationError`` naming the first malformed variable.
    @available(*, deprecated, message: "use ServiceTelemetry.bootstrap(tracing:endpoints: .withoutEndpoints, makeExporter:) from TelemetryHTTPServer")
    public static func bootstrap(
        configuration: Configuration = .default,
        makeExporter: (ExporterContext) throws -> any SpanExporter
    ) throws -> any Service {
        try install(configuration: configuration, makeExporter: makeExporter)
    }

    /// Builds the tracing components from the process environment and installs the tracer;
    /// what the deprecated `bootstrap` forms do.
    static func install(
        configuration: Configuration,
        makeExporter: (ExporterContext) throws -> any SpanExporter
    ) throws -> any Service {
        let components = try makeComponents(
            configuration: configuration,
            environment: try TelemetryEnvironment.process(),
            makeExporter: makeExporter
        )
        if let tracer = components.tracer { InstrumentationSystem.bootstrap(tracer) }
        return components.service
    }

    /// ``bootstrap(configuration:makeExporter:)`` with a ready-made exporter.
    @available(*, deprecated, message: "use ServiceTelemetry.bootstrap(tracing:endpoints: .withoutEndpoints, makeExporter:) from TelemetryHTTPServer")
    public static func bootstrap(
        configuration: Configuration = .default,
        exporter: any SpanExporter
    ) throws -> any Service {
        try install(configuration: configuration) { _ in exporter }
    }

    /// ``bootstrap(configuration:makeExporter:)`` with just a service name.
    @available(*, deprecated, message: "use ServiceTelemetry.bootstrap(serviceName:endpoints: .withoutEndpoints, makeExporter:) from TelemetryHTTPServer")
    public static func bootstrap(
        serviceName: String,
        makeExporter: (ExporterContext) throws -> any SpanExporter
    ) throws -> any Service {
        try install(configuration: Configuration(serviceName: serviceName), makeExporter: makeExporter)
    }

    private static func mergedBatch(
        _ base: BatchSpanProcessor.Configuration,
        _ environment: TelemetryEnvironment
    ) -> BatchSpanProcessor.Configuration {
        BatchSpanProcessor.Configuration(
            maxQueueSize: environment.batchMaxQueueSize ?? base.maxQueueSize,
            maxExportBatchSize: environment.batchMaxExportBatchSize ?? base.maxExportBatchSize,
            scheduleDelay: environment.batchScheduleDelay ?? base.scheduleDelay,
            exportTimeout: environment.batchExportTimeout ?? base.exportTimeout,
            blocking: base.blocking
        )
    }
}
