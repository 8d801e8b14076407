import CoreMetrics
import Prometheus

/// A swift-metrics factory that stores every metric in a `PrometheusCollectorRegistry`, with help texts.
///
/// swift-prometheus' own factory registers metrics without help text, which `promtool check
/// metrics` reports; and its registry refuses a second registration of a name with a different
/// help text. This factory therefore always registers a name with the same text: the catalog's
/// for the package's metrics, `helpTexts` for the caller's, and a generic line otherwise.
public struct TelemetryMetricsFactory: MetricsFactory {
    /// The registry that holds every metric this factory creates.
    public let registry: PrometheusCollectorRegistry
    /// Buckets for swift-metrics `Timer`s without an entry in `durationBuckets`.
    public var defaultDurationBuckets: [Duration]
    /// Buckets per metric name for `Timer`s.
    public var durationBuckets: [String: [Duration]]
    /// Buckets for aggregating `Recorder`s.
    public var defaultValueBuckets: [Double]
    /// Help texts per metric name, consulted before the catalog.
    public var helpTexts: [String: String]

    /// Creates a factory over `registry`, with Prometheus' default latency buckets.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), helpTexts: [String: String] = [:]) {
        self.registry = registry
        self.defaultDurationBuckets = MetricCatalog.defaultDurationBuckets
        self.durationBuckets = [:]
        self.defaultValueBuckets = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]
        self.helpTexts = helpTexts
    }

    func descriptor(for label: String) -> MetricNameDescriptor {
        let help = helpTexts[label] ?? MetricCatalog.helpTexts[label] ?? "Metric \(label) recorded through swift-metrics."
        return MetricNameDescriptor(metricName: label, unitName: "", helpText: help)
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(for: label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(for: label), labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else {
            return registry.makeGauge(descriptor: descriptor(for: label), labels: dimensions)
        }
        return registry.makeValueHistogram(descriptor: descriptor(for: label), labels: dimensions, buckets: defaultValueBuckets)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(for: label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = durationBuckets[label] ?? defaultDurationBuckets
        return registry.makeDurationHistogram(descriptor: descriptor(for: label), labels: dimensions, buckets: buckets)
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge {
            registry.unregisterGauge(gauge)
        } else if let histogram = handler as? ValueHistogram {
            registry.unregisterValueHistogram(histogram)
        }
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
