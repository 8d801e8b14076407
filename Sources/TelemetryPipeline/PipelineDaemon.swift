import ErrorAggregation
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TelemetryCore
import TraceStorage

/// The running daemon built from a configuration: receivers, pipelines, exporters, the
/// prometheus scrape endpoint and the monitoring API, as services in shutdown order.
public final class PipelineDaemon: Sendable {
    /// The version printed by `--version` and reported by the monitoring API.
    public static let version = "0.1.0"

    /// Services to run in one `ServiceGroup`. A group stops services in reverse order, so
    /// receivers stop first, then pipelines drain, then exporters flush.
    public let services: [any Service]

    let monitoringAPI: MonitoringAPI
    let runners: [PipelineRunner]
    let expectedListeners: Int

    /// Builds every component; fails when one cannot be created (e.g. a file exporter's path).
    /// `onListening` is told each listener's name and bound address as it starts.
    public convenience init(
        configuration: PipelineConfiguration, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onListening: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) throws {
        // The exporters' own delivery metrics (retries, drops by reason, durations) go to the
        // registry the prometheus exporter serves.
        let registry = MetricRegistry()
        let exporterMetrics = RegistryMetricsFactory(registry: registry)
        try self.init(
            configuration: configuration, logger: logger, environment: environment, decoders: .standard,
            exporterFactory: { id, settings, logger in
                try StandardExporters.make(id, settings, logger, metricsFactory: exporterMetrics)
            },
            clock: WallClock.system, onListening: onListening, registry: registry)
    }

    package init(
        configuration: PipelineConfiguration, logger: Logger, environment: [String: String], decoders: TraceDecoders,
        exporterFactory: @escaping @Sendable (ComponentID, ExporterSettings, Logger) throws -> any SpanExporter,
        clock: @escaping PipelineClock,
        onListening: @escaping @Sendable (String, String) -> Void, registry: MetricRegistry = MetricRegistry()
    ) throws {
        let metrics = SelfMetrics(registry: registry)
        // The ErrorAggregation module's aggregator behind error_rate and /monitoring/errors/*;
        // its gauges live in the pipeline's own registry, not in swift-metrics.
        let errors = ErrorAggregator(configuration: .init(exportsMetrics: false), clock: ContinuousClock())
        // One board, whichever pipelines list `circuit_breakers`; the first one's settings rule.
        let breakerSettings =
            configuration.processors.sorted { "\($0.key)" < "\($1.key)" }.lazy.compactMap { _, settings in
                if case .circuitBreakers(let board) = settings { board } else { nil }
            }.first ?? .default
        let breakers = BreakerBoard(configuration: breakerSettings)
        // Shared by the errors and health processors, so both count the same requests.
        let requestRoles = RequestRoles()
        let edgeRequests = EdgeRequestTally()
        let queueSize = configuration.monitoring.queueSize

        // Exporters: one worker per exporter used by some pipeline.
        var workers: [ComponentID: ExporterWorker] = [:]
        var listenerServices: [any Service] = []
        var listenerCount = 0
        let boundBox = Mutex<[String: Endpoint]>([:])
        // The query API reads the store of the first `tracestore` exporter, by ID.
        var traceStores: [ComponentID: any TraceRepository] = [:]
        for pipeline in configuration.pipelines {
            for id in pipeline.exporters where workers[id] == nil {
                let settings = configuration.exporters[id]!
                let exporter: any SpanExporter
                if case .traceStore(let storeConfiguration, let storage) = settings {
                    let store = try TraceStoreExporter.makeStore(storeConfiguration, storage: storage)
                    traceStores[id] = store
                    TraceStoreExporter.reportStatistics(of: store, exporter: "\(id)", to: registry)
                    exporter = TraceStoreExporter(store: store, clock: clock)
                } else if case .loadBalancing(let balancing) = settings {
                    exporter = try LoadBalancingExporter(
                        id: id, routingKey: balancing.routingKey, resolver: BackendResolver(balancing.resolver), registry: registry,
                        logger: logger
                    ) { endpoint, reroute in
                        let backendID = ComponentID("\(id)/\(endpoint)")
                        return ExporterWorker(
                            id: backendID, exporter: try exporterFactory(backendID, try balancing.exporterSettings(for: endpoint), logger),
                            delivery: balancing.backendProtocol.delivery, capacity: queueSize, metrics: metrics, logger: logger,
                            reroute: reroute)
                    }
                } else {
                    exporter = try exporterFactory(id, settings, logger)
                }
                workers[id] =
                    if case .loadBalancing = settings {
                        // Routing splits a batch by backend: the batches it is handed are as
                        // large as several backend requests, so each request stays large.
                        ExporterWorker(
                            id: id, exporter: exporter, delivery: LoadBalancingSettings.routingDelivery, capacity: queueSize,
                            maxBatch: LoadBalancingExporter.routedBatch, mergedBelow: LoadBalancingExporter.routedBatch, metrics: metrics,
                            logger: logger)
                    } else if let delivery = settings.delivery {
                        ExporterWorker(id: id, exporter: exporter, delivery: delivery, capacity: queueSize, metrics: metrics, logger: logger)
                    } else {
                        ExporterWorker(id: id, exporter: exporter, capacity: queueSize, metrics: metrics, logger: logger)
                    }
            }
        }

        // Processors: analysis stages are shared per ID (one set of metrics), holding stages are per pipeline.
        var shared: [ComponentID: any SpanProcessorStage] = [:]
        var healthBoard: HealthBoard?
        var limiters: [String: [MemoryLimiter]] = [:]
        let breakerProcessor = CircuitBreakerProcessor(board: breakers, registry: registry)
        var runners: [PipelineRunner] = []
        for pipeline in configuration.pipelines {
            var stages: [any SpanProcessorStage] = []
            for id in pipeline.processors {
                if let stage = shared[id] {
                    stages.append(stage)
                    continue
                }
                let stage: any SpanProcessorStage
                switch configuration.processors[id]! {
                case .memoryLimiter(let settings):
                    limiters[pipeline.name, default: []].append(MemoryLimiter(configuration: settings, clock: clock))
                    stage = MemoryLimiterStage()
                case .batch(let settings): stage = BatchProcessor(configuration: settings)
                case .tailSampling(let settings): stage = TailSamplingProcessor(configuration: settings, registry: registry)
                case .probabilisticSampler(let settings): stage = ProbabilisticSampler(configuration: settings)
                case .attributes(let settings): stage = AttributesProcessor(configuration: settings)
                case .spanMetrics(let settings):
                    stage = SpanMetricsProcessor(configuration: settings, registry: registry)
                    shared[id] = stage
                case .errors:
                    stage = ErrorsProcessor(
                        classifier: ErrorClassifiers.standard, aggregator: errors, registry: registry, roles: requestRoles, edge: edgeRequests)
                    shared[id] = stage
                case .health(let settings):
                    let board = healthBoard ?? HealthBoard(configuration: settings)
                    healthBoard = board
                    stage = HealthProcessor(board: board, breakers: breakers, registry: registry, roles: requestRoles)
                    shared[id] = stage
                case .circuitBreakers:
                    stage = breakerProcessor
                    shared[id] = stage
                }
                stages.append(stage)
            }
            runners.append(
                PipelineRunner(
                    name: pipeline.name, capacity: queueSize, stages: stages, exporters: pipeline.exporters.map { workers[$0]! },
                    clock: clock, metrics: metrics,
                    durability: try Self.durability(for: pipeline, in: configuration, decoders: decoders, logger: logger),
                    logger: logger))
        }

        // Receivers: one server per receiver, feeding every pipeline that lists it.
        var receiverServices: [any Service] = []
        for (id, settings) in configuration.receivers.sorted(by: { $0.key < $1.key }) {
            let feeding = zip(configuration.pipelines, runners).filter { $0.0.receivers.contains(id) }
            guard !feeding.isEmpty else { continue }
            let intake = SpanIntake(
                receiver: "\(id)", pipelines: feeding.map(\.1), limiters: feeding.flatMap { limiters[$0.0.name] ?? [] }, metrics: metrics)
            var httpListeners: [(TraceReceiver.Format, HTTPReceiverSettings)] = []
            var grpcListener: GRPCReceiverSettings?
            switch settings {
            case .otlp(let http, let grpc):
                if let http { httpListeners.append((.otlp, http)) }
                grpcListener = grpc
            case .jaeger(let http): httpListeners.append((.jaeger, http))
            case .zipkin(let http): httpListeners.append((.zipkin, http))
            }
            for (format, http) in httpListeners {
                let receiver = TraceReceiver(id: id, format: format, maxBodySize: http.maxRequestBodySize, decoders: decoders, intake: intake)
                let router = Router(context: BasicRequestContext.self)
                receiver.register(on: router)
                let name = "receiver \(id)"
                listenerCount += 1
                receiverServices.append(
                    HTTPListener.service(router: router, endpoint: http.endpoint, logger: logger) { endpoint in
                        boundBox.withLock { $0[name] = endpoint }
                        onListening(name, "http://\(endpoint)\(format.path)")
                    })
            }
            if let grpc = grpcListener, let decode = decoders.otlpProtobuf {
                let name = "receiver \(id) (grpc)"
                listenerCount += 1
                let receiver = GRPCTraceReceiver(
                    id: id, maxMessageBytes: grpc.maxReceiveMessageSizeMiB * 1024 * 1024, decode: decode, intake: intake)
                receiverServices.append(
                    GRPCListener(endpoint: grpc.endpoint, services: [receiver], maxMessageBytes: receiver.transportMessageBytes) { endpoint in
                        boundBox.withLock { $0[name] = endpoint }
                        onListening(name, "grpc://\(endpoint)")
                    })
            }
        }

        // Prometheus scrape endpoints.
        for (id, settings) in configuration.exporters.sorted(by: { $0.key < $1.key }) where workers[id] != nil {
            guard case .prometheus(let endpoint) = settings else { continue }
            let router = Router(context: BasicRequestContext.self)
            router.get("/metrics") { _, _ in MonitoringAPI.scrape(registry) }
            let name = "exporter \(id)"
            listenerCount += 1
            listenerServices.append(
                HTTPListener.service(router: router, endpoint: endpoint, logger: logger) { endpoint in
                    boundBox.withLock { $0[name] = endpoint }
                    onListening(name, "http://\(endpoint)/metrics")
                })
        }

        // Remote-write pushes: before the pipelines in `services`, so their last push follows the drain.
        let remoteWrites = RemoteWriteExporter.services(for: configuration, used: workers.keys, registry: registry, logger: logger)

        let expected = listenerCount + 1
        let api = MonitoringAPI(
            name: configuration.monitoring.name, version: Self.version, startedAt: clock(), clock: clock, registry: registry,
            errors: errors, edgeRequests: edgeRequests, health: healthBoard, breakers: breakers, breakerGauge: breakerProcessor.stateGauge,
            adminToken: environment["CIRCUIT_BREAKER_ADMIN_TOKEN"],
            isReady: { boundBox.withLock { $0.count } >= expected })
        let router = Router(context: BasicRequestContext.self)
        api.register(on: router)
        if let store = traceStores.min(by: { $0.key < $1.key })?.value {
            TraceQueryRoutes(api: JaegerQueryAPI(store: store, now: clock)).register(on: router)
        }
        WebUIRoutes().register(on: router)
        let monitoringService = HTTPListener.service(router: router, endpoint: configuration.monitoring.endpoint, logger: logger) { endpoint in
            boundBox.withLock { $0["monitoring"] = endpoint }
            onListening("monitoring", "http://\(endpoint)/monitoring/health/dashboard")
        }

        self.monitoringAPI = api
        self.runners = runners
        self.expectedListeners = expected
        let exporterServices: [any Service] = configuration.pipelines.flatMap(\.exporters).reduce(into: [ComponentID]()) {
            if !$0.contains($1) { $0.append($1) }
        }.map { workers[$0]! as any Service }
        self.services =
            [HeapScavenger(), monitoringService] + remoteWrites + listenerServices + exporterServices + runners.map { $0 as any Service } + receiverServices
        self.boundEndpoints = { boundBox.withLock { $0 } }
    }

    let boundEndpoints: @Sendable () -> [String: Endpoint]

    /// The journal of a pipeline one of whose exporters keeps its sending queue in a
    /// `file_storage` extension: one directory per pipeline under the extension's.
    static func durability(
        for pipeline: PipelineSettings, in configuration: PipelineConfiguration, decoders: TraceDecoders, logger: Logger
    ) throws -> PipelineDurability? {
        let storageID = pipeline.exporters.lazy.compactMap { configuration.exporters[$0]?.delivery?.queue.storage }.first
        guard let storageID, let storage = configuration.storages[storageID] else { return nil }
        let folder = pipeline.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        let journal = try IntakeJournal(
            configuration: .init(
                directory: "\(storage.directory)/\(String(folder))", maxBytes: storage.maxSizeMiB << 20, fsync: storage.fsync),
            logger: logger)
        return PipelineDurability(journal: journal) { format, body in decoders.replay(format: format, body: body) }
    }

    /// Each listener's bound address so far, by name (`receiver otlp`, `receiver otlp (grpc)`,
    /// `exporter prometheus`, `monitoring`).
    public var listening: [String: String] {
        boundEndpoints().mapValues(\.description)
    }
}
