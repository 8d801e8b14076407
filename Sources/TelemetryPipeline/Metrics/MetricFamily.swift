import Synchronization

/// One Prometheus metric family (counter, gauge or histogram) with its labelled series.
///
/// Values are doubles because spans sampled at probability p count 1/p. Writers take the
/// family's lock once per batch via `update`, so a batch of spans costs one lock.
package final class MetricFamily: Sendable {
    package enum Kind: Sendable, Equatable {
        case counter
        case gauge
        /// Upper bounds in the metric's unit, ascending, without `+Inf`.
        case histogram([Double])
    }

    package struct Series: Sendable {
        package var value: Double = 0
        package var bucketCounts: [Double] = []
        package var sum: Double = 0
    }

    package let name: String
    package let help: String
    package let kind: Kind
    package let labelNames: [String]
    private let series = Mutex<[[String]: Series]>([:])

    package init(name: String, help: String, kind: Kind, labelNames: [String]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
    }

    /// Mutates series under one lock; `Updater` adds, sets and observes.
    package func update(_ body: (inout Updater) -> Void) {
        series.withLock { series in
            var updater = Updater(kind: kind, series: series)
            series = [:]
            body(&updater)
            series = updater.series
        }
    }

    package func add(_ value: Double, _ labels: [String]) { update { $0.add(value, labels) } }
    package func set(_ value: Double, _ labels: [String]) { update { $0.set(value, labels) } }
    package func observe(_ value: Double, weight: Double = 1, _ labels: [String]) {
        update { $0.observe(value, weight: weight, labels) }
    }

    /// The current value of one series (a counter or gauge), for tests and JSON endpoints.
    package func value(_ labels: [String]) -> Double? { series.withLock { $0[labels]?.value } }

    /// The count of a histogram series.
    package func count(_ labels: [String]) -> Double? { series.withLock { $0[labels]?.value } }

    /// Every series' labels and value.
    package func snapshot() -> [[String]: Series] { series.withLock { $0 } }

    /// Removes every series, e.g. when a gauge is rebuilt from scratch.
    package func reset() { series.withLock { $0 = [:] } }

    package struct Updater {
        let kind: Kind
        var series: [[String]: Series]

        package mutating func add(_ value: Double, _ labels: [String]) {
            series[labels, default: Series()].value += value
        }

        package mutating func set(_ value: Double, _ labels: [String]) {
            series[labels, default: Series()].value = value
        }

        /// Adds one observation of `value` standing for `weight` observations.
        package mutating func observe(_ value: Double, weight: Double, _ labels: [String]) {
            guard case .histogram(let bounds) = kind else { return }
            let index = bounds.firstIndex(where: { value <= $0 })
            // In place through the dictionary's modify accessor: a copy would reallocate the buckets.
            Self.observe(&series[labels, default: Series(bucketCounts: [Double](repeating: 0, count: bounds.count))], value, weight, index)
        }

        /// Adds `count` observations summing to `sum`, `bucketCounts` of them per bucket
        /// (non-cumulative, as ``observe(_:weight:_:)`` stores them).
        package mutating func observe(count: Double, sum: Double, bucketCounts: [Double], _ labels: [String]) {
            guard case .histogram(let bounds) = kind else { return }
            Self.merge(&series[labels, default: Series(bucketCounts: [Double](repeating: 0, count: bounds.count))], count, sum, bucketCounts)
        }

        private static func observe(_ entry: inout Series, _ value: Double, _ weight: Double, _ index: Int?) {
            // Buckets are stored non-cumulative and summed when rendered.
            if let index { entry.bucketCounts[index] += weight }
            entry.value += weight
            entry.sum += value * weight
        }

        private static func merge(_ entry: inout Series, _ count: Double, _ sum: Double, _ buckets: [Double]) {
            for index in buckets.indices where index < entry.bucketCounts.count { entry.bucketCounts[index] += buckets[index] }
            entry.value += count
            entry.sum += sum
        }
    }
}
