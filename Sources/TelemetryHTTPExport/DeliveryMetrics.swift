import Metrics

/// The exporter self-metrics, recorded through swift-metrics under one `exporter` label.
struct DeliveryMetrics: Sendable {
    let exported: Counter
    let failures: Counter
    let latency: Metrics.Timer
    private let exporter: String

    init(exporter: String) {
        self.exporter = exporter
        exported = Counter(label: "telemetry_exporter_spans_exported_total", dimensions: [("exporter", exporter)])
        failures = Counter(label: "telemetry_exporter_failures_total", dimensions: [("exporter", exporter)])
        latency = Metrics.Timer(label: "telemetry_exporter_export_duration_seconds", dimensions: [("exporter", exporter)], preferredDisplayUnit: .seconds)
    }

    /// Counts spans that will never reach the backend, by why.
    func dropped(_ count: Int, reason: DropReason) {
        guard count > 0 else { return }
        Counter(label: "telemetry_exporter_spans_dropped_total", dimensions: [("exporter", exporter), ("reason", reason.rawValue)])
            .increment(by: count)
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
