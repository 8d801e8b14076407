import CoreMetrics
import Metrics
import Synchronization

/// The exporter self-metrics, recorded through swift-metrics under one `exporter` label.
///
/// | metric | kind | meaning |
/// |---|---|---|
/// | `telemetry_exporter_spans_exported_total` | counter | spans the backend accepted |
/// | `telemetry_exporter_spans_dropped_total{reason}` | counter | spans that will never arrive, by ``DropReason`` |
/// | `telemetry_exporter_failures_total` | counter | batches given up on (rejected, retries exhausted, unencodable) |
/// | `telemetry_exporter_retries_total` | counter | attempts after the first |
/// | `telemetry_exporter_queue_length` | gauge | spans handed to the exporter and not yet delivered or dropped (sending or waiting to retry) |
/// | `telemetry_exporter_export_duration_seconds` | timer | time from handing a batch over to its acceptance, retries included |
package final class DeliveryMetrics: Sendable {
    package static let exportedLabel = "telemetry_exporter_spans_exported_total"
    package static let droppedLabel = "telemetry_exporter_spans_dropped_total"
    package static let failuresLabel = "telemetry_exporter_failures_total"
    package static let retriesLabel = "telemetry_exporter_retries_total"
    package static let queueLengthLabel = "telemetry_exporter_queue_length"
    package static let durationLabel = "telemetry_exporter_export_duration_seconds"

    private let exportedCounter: Counter
    private let failures: Counter
    private let retries: Counter
    private let latency: Metrics.Timer
    private let queueLength: Gauge
    /// Indexed by the position of the reason in `DropReason.allCases`.
    private let droppedCounters: [Counter]
    private let pending = Atomic<Int>(0)

    package init(exporter: String, factory: any MetricsFactory) {
        let dimensions = [("exporter", exporter)]
        exportedCounter = Counter(label: Self.exportedLabel, dimensions: dimensions, factory: factory)
        failures = Counter(label: Self.failuresLabel, dimensions: dimensions, factory: factory)
        retries = Counter(label: Self.retriesLabel, dimensions: dimensions, factory: factory)
        latency = Metrics.Timer(label: Self.durationLabel, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
        queueLength = Gauge(label: Self.queueLengthLabel, dimensions: dimensions, factory: factory)
        droppedCounters = DropReason.allCases.map { reason in
            Counter(label: Self.droppedLabel, dimensions: dimensions + [("reason", reason.rawValue)], factory: factory)
        }
        queueLength.record(0)
    }

    package func exported(_ count: Int) {
        exportedCounter.increment(by: count)
    }

    package func failed() {
        failures.increment()
    }

    package func retried() {
        retries.increment()
    }

    package func recordLatency(_ duration: Duration) {
        latency.recordNanoseconds(duration.nanoseconds)
    }

    /// Counts spans entering (positive) or leaving (negative) the delivery.
    package func pendingChanged(by delta: Int) {
        let now = pending.add(delta, ordering: .relaxed).newValue
        queueLength.record(now)
    }

    /// Counts spans that will never reach the backend, by why.
    package func dropped(_ count: Int, reason: DropReason) {
        guard count > 0, let index = DropReason.allCases.firstIndex(of: reason) else { return }
        droppedCounters[index].increment(by: count)
    }
}

/// Why spans were dropped, the `reason` label of `telemetry_exporter_spans_dropped_total`.
public enum DropReason: String, Sendable, CaseIterable {
    /// The backend answered with a non-retryable status.
    case rejected
    /// Retries ran out of attempts or time.
    case retriesExhausted = "retries_exhausted"
    /// The backend accepted the request but refused some spans (OTLP partial success).
    case partialSuccess = "partial_success"
    /// The exporter was shut down or the export cancelled.
    case shutdown
    /// The body could not be built.
    case encoding
}
