import CoreMetrics

/// A swift-metrics backend that records into the pipeline's ``MetricRegistry``.
///
/// Components reused from the SDK (the Jaeger and OTLP exporters' delivery, with its retries,
/// drops by reason and export durations) report through swift-metrics; with this factory their
/// metrics appear on the pipeline's own scrape endpoint beside the derived ones. Counters and
/// meters map to counters and gauges, recorders to gauges (or histograms when aggregating),
/// timers to histograms in seconds. A metric keeps the label names it was first created with;
/// a later handle with other dimensions fills the missing ones with empty values.
package struct RegistryMetricsFactory: MetricsFactory {
    /// Upper bounds, in seconds, of timer histograms: from 5 ms to the 30 s export timeout.
    static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    /// Upper bounds of aggregating recorders, which carry no unit.
    static let valueBuckets: [Double] = [1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000]

    let registry: MetricRegistry

    package init(registry: MetricRegistry) {
        self.registry = registry
    }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        SeriesHandle(family: registry.counter(label, help: Self.help(label), labels: dimensions.map(\.0)), dimensions)
    }

    package func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        SeriesHandle(family: registry.gauge(label, help: Self.help(label), labels: dimensions.map(\.0)), dimensions)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let names = dimensions.map(\.0)
        let family =
            aggregate
            ? registry.histogram(label, help: Self.help(label), buckets: Self.valueBuckets, labels: names)
            : registry.gauge(label, help: Self.help(label), labels: names)
        return SeriesHandle(family: family, dimensions)
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let family = registry.histogram(label, help: Self.help(label), buckets: Self.durationBuckets, labels: dimensions.map(\.0))
        return SeriesHandle(family: family, dimensions)
    }

    // The registry keeps every series for the life of the process, as a scrape target should.
    package func destroyCounter(_ handler: any CounterHandler) {}
    package func destroyMeter(_ handler: any MeterHandler) {}
    package func destroyRecorder(_ handler: any RecorderHandler) {}
    package func destroyTimer(_ handler: any TimerHandler) {}

    static func help(_ label: String) -> String {
        "\(label), reported through swift-metrics."
    }
}

/// One labelled series of a registry family, as every kind of swift-metrics handler.
final class SeriesHandle: CounterHandler, MeterHandler, RecorderHandler, TimerHandler {
    let family: MetricFamily
    let labels: [String]

    init(family: MetricFamily, _ dimensions: [(String, String)]) {
        self.family = family
        labels = family.labelNames.map { name in dimensions.first { $0.0 == name }?.1 ?? "" }
    }

    func increment(by amount: Int64) { family.add(Double(amount), labels) }
    func increment(by amount: Double) { family.add(amount, labels) }
    func decrement(by amount: Double) { family.add(-amount, labels) }
    func reset() { family.set(0, labels) }
    func set(_ value: Int64) { family.set(Double(value), labels) }
    func set(_ value: Double) { family.set(value, labels) }
    func record(_ value: Int64) { record(Double(value)) }
    func record(_ value: Double) {
        if case .histogram = family.kind { family.observe(value, labels) } else { family.set(value, labels) }
    }
    func recordNanoseconds(_ duration: Int64) { family.observe(Double(duration) / 1e9, labels) }
}
