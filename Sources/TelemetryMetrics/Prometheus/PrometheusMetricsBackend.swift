import CoreMetrics
import Prometheus
import Synchronization

/// The Prometheus side of the telemetry stack: a registry, the swift-metrics factory over it,
/// and the `/metrics` exposition including process metrics.
///
/// ```swift
/// let metrics = PrometheusMetricsBackend(configuration: try .init(environment: env))
/// metrics.bootstrap()            // swift-metrics now records into metrics.registry
/// let body = metrics.exposition() // answer GET /metrics with this
/// ```
public struct PrometheusMetricsBackend: Sendable {
    /// The settings this backend was created with.
    public let configuration: Configuration
    /// The factory that records swift-metrics calls into ``registry``.
    public let factory: TelemetryMetricsFactory

    private let collectHooks = CollectHooks()

    /// The registry holding every recorded metric.
    public var registry: PrometheusCollectorRegistry { factory.registry }

    /// Creates a backend with its own registry.
    public init(configuration: Configuration = .default, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.configuration = configuration
        var factory = TelemetryMetricsFactory(registry: registry, helpTexts: configuration.helpTexts)
        factory.durationBuckets[MetricCatalog.httpRequestDuration] = configuration.requestDurationBuckets
        self.factory = factory
    }

    /// Installs ``factory`` as the process-wide swift-metrics backend when metrics are enabled.
    ///
    /// swift-metrics allows one bootstrap per process; call this once, at start-up.
    public func bootstrap() {
        guard configuration.enabled else { return }
        MetricsSystem.bootstrap(factory)
    }

    /// Runs `hook` before every ``exposition()``, so values derived from sliding windows
    /// (such as `error_rate`) are brought up to date when they are read, not only when
    /// something is recorded.
    public func onCollect(_ hook: @escaping @Sendable () -> Void) {
        collectHooks.append(hook)
    }

    /// The current metrics in Prometheus text format 0.0.4 (see ``PrometheusExposition/contentType``).
    ///
    /// Runs the ``onCollect(_:)`` hooks first.
    public func exposition() -> [UInt8] {
        collectHooks.run()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        if configuration.includeProcessMetrics {
            ProcessMetrics.current().emit(into: &buffer)
        }
        return buffer
    }
}

/// The hooks of one backend and its copies.
private final class CollectHooks: Sendable {
    private let hooks = Mutex<[@Sendable () -> Void]>([])

    func append(_ hook: @escaping @Sendable () -> Void) {
        hooks.withLock { $0.append(hook) }
    }

    func run() {
        // Outside the lock: a hook may take locks of its own.
        for hook in hooks.withLock({ $0 }) { hook() }
    }
}
