import Synchronization
import TelemetryCore

/// One Prometheus metric family (counter, gauge or histogram) with its labelled series.
///
/// Values are doubles because spans sampled at probability p count 1/p. Writers take the
/// family's lock once per batch via `update`, so a batch of spans costs one lock.
///
/// Label values come from incoming spans, so a family holds at most ``Limits/maxSeries``
/// labelled series. An update that would create one more folds into a single overflow series
/// (rendered as `{otel_metric_overflow="true"}`, the OpenTelemetry metrics SDK's name), so
/// the family's total stays exact while its breakdown is cut off; ``foldedPoints`` counts
/// the updates folded there.
package final class MetricFamily: Sendable {
    package enum Kind: Sendable, Equatable {
        case counter
        case gauge
        /// Upper bounds in the metric's unit, ascending, without `+Inf`.
        case histogram([Double])
    }

    /// Bounds on a family's series.
    package struct Limits: Sendable, Equatable {
        /// Most labelled series, beside the overflow series (default 2000, the OpenTelemetry
        /// metrics SDK's default cardinality limit).
        package var maxSeries = 2_000
        /// Series no update touched for this long are removed by ``expireIdle(now:)``;
        /// `nil` (the default) keeps them, because a removed counter loses its total. A family
        /// that expires must be written through `update(now:)` with the current time.
        package var expiration: Duration?

        package init(maxSeries: Int = 2_000, expiration: Duration? = nil) {
            self.maxSeries = max(1, maxSeries)
            self.expiration = expiration
        }

        package static let `default` = Limits()
    }

    package struct Series: Sendable {
        package var value: Double = 0
        package var bucketCounts: [Double] = []
        package var sum: Double = 0
        /// The `now` of the last update that touched it (0 for updates made without a time).
        package var lastUpdateNanos: UInt64 = 0
    }

    /// The one label of the overflow series.
    package static let overflowLabelName = "otel_metric_overflow"

    /// A family's series, its overflow series and what it has folded and expired.
    package struct Contents: Sendable {
        package var series: [[String]: Series] = [:]
        /// Where updates beyond ``Limits/maxSeries`` went; `nil` until the first one.
        package var overflow: Series?
        /// Updates (one per series per batch) folded into the overflow series.
        package var foldedPoints = 0.0
        /// Series removed by ``MetricFamily/expireIdle(now:)``.
        package var expiredSeries = 0.0
    }

    package let name: String
    package let help: String
    package let kind: Kind
    package let labelNames: [String]
    package let limits: Limits
    private let contents = Mutex(Contents())

    package init(name: String, help: String, kind: Kind, labelNames: [String], limits: Limits = .default) {
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        self.limits = limits
    }

    /// Mutates series under one lock; `Updater` adds, sets and observes. `now` stamps every
    /// series touched, for ``expireIdle(now:)``.
    package func update(now: UInt64 = 0, _ body: (inout Updater) -> Void) {
        contents.withLock { contents in
            var updater = Updater(kind: kind, maxSeries: limits.maxSeries, now: now, contents: contents)
            // Moved out, so the updater's copy is the only reference and mutates in place.
            contents = Contents()
            body(&updater)
            contents = updater.contents
        }
    }

    package func add(_ value: Double, _ labels: [String]) { update { $0.add(value, labels) } }
    package func set(_ value: Double, _ labels: [String]) { update { $0.set(value, labels) } }
    package func observe(_ value: Double, weight: Double = 1, _ labels: [String]) {
        update { $0.observe(value, weight: weight, labels) }
    }

    /// The current value of one series (a counter or gauge), for tests and JSON endpoints.
    package func value(_ labels: [String]) -> Double? { contents.withLock { $0.series[labels]?.value } }

    /// The count of a histogram series.
    package func count(_ labels: [String]) -> Double? { contents.withLock { $0.series[labels]?.value } }

    /// The overflow series' value (a histogram's count), `nil` while nothing overflowed.
    package func overflowValue() -> Double? { contents.withLock { $0.overflow?.value } }

    /// Updates folded into the overflow series so far.
    package var foldedPoints: Double { contents.withLock { $0.foldedPoints } }

    /// Every labelled series' labels and value (without the overflow series).
    package func snapshot() -> [[String]: Series] { contents.withLock { $0.series } }

    /// Updates folded and series expired so far, without copying the series.
    func contentsSnapshotCounts() -> (folded: Double, expired: Double) {
        contents.withLock { ($0.foldedPoints, $0.expiredSeries) }
    }

    /// Everything the family holds, for rendering.
    package func contentsSnapshot() -> Contents { contents.withLock { $0 } }

    /// Removes every series, e.g. when a gauge is rebuilt from scratch.
    package func reset() {
        contents.withLock { contents in
            contents.series = [:]
            contents.overflow = nil
        }
    }

    /// Removes series (and the overflow series) idle for ``Limits/expiration`` at `now`;
    /// returns how many went. Does nothing for a family that never expires.
    @discardableResult
    package func expireIdle(now: UInt64) -> Int {
        guard let expiration = limits.expiration, expiration > .zero else { return 0 }
        let idle = expiration.saturatingNanoseconds
        guard now > idle else { return 0 }
        let cutoff = now - idle
        return contents.withLock { contents in
            let before = contents.series.count
            contents.series = contents.series.filter { $0.value.lastUpdateNanos >= cutoff }
            var removed = before - contents.series.count
            if let overflow = contents.overflow, overflow.lastUpdateNanos < cutoff {
                contents.overflow = nil
                removed += 1
            }
            contents.expiredSeries += Double(removed)
            return removed
        }
    }

    package struct Updater {
        let kind: Kind
        let maxSeries: Int
        let now: UInt64
        var contents: Contents

        package mutating func add(_ value: Double, _ labels: [String]) {
            modify(labels, fresh: Series()) { $0.value += value }
        }

        package mutating func set(_ value: Double, _ labels: [String]) {
            modify(labels, fresh: Series()) { $0.value = value }
        }

        /// Sets the overflow series directly: for a gauge whose owner folds entries itself
        /// (the health board's overflow entry).
        package mutating func setOverflow(_ value: Double) {
            var entry = contents.overflow ?? Series()
            entry.value = value
            entry.lastUpdateNanos = now
            contents.overflow = entry
        }

        /// Removes every series, so a gauge can be rewritten from its source in one update.
        package mutating func removeAll() {
            contents.series.removeAll(keepingCapacity: true)
            contents.overflow = nil
        }

        /// Adds one observation of `value` standing for `weight` observations.
        package mutating func observe(_ value: Double, weight: Double, _ labels: [String]) {
            guard case .histogram(let bounds) = kind else { return }
            let index = bounds.firstIndex(where: { value <= $0 })
            modify(labels, fresh: Series(bucketCounts: [Double](repeating: 0, count: bounds.count))) { entry in
                // Buckets are stored non-cumulative and summed when rendered.
                if let index { entry.bucketCounts[index] += weight }
                entry.value += weight
                entry.sum += value * weight
            }
        }

        /// Adds `count` observations summing to `sum`, `bucketCounts` of them per bucket
        /// (non-cumulative, as ``observe(_:weight:_:)`` stores them).
        package mutating func observe(count: Double, sum: Double, bucketCounts: [Double], _ labels: [String]) {
            guard case .histogram(let bounds) = kind else { return }
            modify(labels, fresh: Series(bucketCounts: [Double](repeating: 0, count: bounds.count))) { entry in
                for index in bucketCounts.indices where index < entry.bucketCounts.count { entry.bucketCounts[index] += bucketCounts[index] }
                entry.value += count
                entry.sum += sum
            }
        }

        /// Applies `body` to the series `labels` in place: an existing one, a new one while
        /// the family has room, else the overflow series. One hash for an existing series.
        private mutating func modify(_ labels: [String], fresh: @autoclosure () -> Series, _ body: (inout Series) -> Void) {
            if let index = contents.series.index(forKey: labels) {
                // In place through the values' modify accessor: a copy would reallocate the buckets.
                body(&contents.series.values[index])
                contents.series.values[index].lastUpdateNanos = now
            } else if contents.series.count < maxSeries {
                var entry = fresh()
                body(&entry)
                entry.lastUpdateNanos = now
                contents.series[labels] = entry
            } else {
                var entry = contents.overflow ?? fresh()
                // Taken out first, so the bucket array is uniquely referenced while it changes.
                contents.overflow = nil
                body(&entry)
                entry.lastUpdateNanos = now
                contents.overflow = entry
                contents.foldedPoints += 1
            }
        }
    }
}
