import Synchronization

extension RemoteWriteExporter {
    /// Why a request was not delivered: the `reason` label of
    /// `pipeline_remote_write_requests_dropped_total`.
    enum DropReason: String, CaseIterable {
        /// The queue was full; the oldest request made room.
        case queueFull = "queue_full"
        /// The receiver answered a 4xx other than 429.
        case rejected
        /// 5xx, 429 or connection failures outlasted `retry_on_failure`.
        case retriesExhausted = "retries_exhausted"
        /// Superseded at shutdown by the final snapshot, or its attempt during shutdown failed.
        case shutdown
    }

    /// The exporter's self-metrics, in the registry it pushes (so they travel too).
    final class Metrics: Sendable {
        let exporter: String
        let samplesSent: MetricFamily
        let requestsSent: MetricFamily
        let requestsDropped: MetricFamily
        let retries: MetricFamily
        let queueSize: MetricFamily
        let queued = Atomic(0)

        init(registry: MetricRegistry, exporter: String) {
            self.exporter = exporter
            samplesSent = registry.counter(
                "pipeline_remote_write_samples_sent_total", help: "Samples the remote-write receiver accepted.", labels: ["exporter"])
            requestsSent = registry.counter(
                "pipeline_remote_write_requests_sent_total", help: "Remote-write requests the receiver accepted.", labels: ["exporter"])
            requestsDropped = registry.counter(
                "pipeline_remote_write_requests_dropped_total", help: "Remote-write requests given up, by reason.",
                labels: ["exporter", "reason"])
            retries = registry.counter(
                "pipeline_remote_write_retries_total", help: "Remote-write attempts retried after a retryable failure.", labels: ["exporter"])
            queueSize = registry.gauge(
                "pipeline_remote_write_queue_size", help: "Remote-write requests waiting for a sender.", labels: ["exporter"])
            for reason in DropReason.allCases { requestsDropped.add(0, [exporter, reason.rawValue]) }
            retries.add(0, [exporter])
            samplesSent.add(0, [exporter])
            requestsSent.add(0, [exporter])
            queueSize.set(0, [exporter])
        }

        func sent(samples: Int) {
            samplesSent.add(Double(samples), [exporter])
            requestsSent.add(1, [exporter])
        }

        func dropped(_ reason: DropReason) { requestsDropped.add(1, [exporter, reason.rawValue]) }
        func retried() { retries.add(1, [exporter]) }

        func queued(by change: Int) {
            let size = queued.add(change, ordering: .relaxed).newValue
            queueSize.set(Double(max(size, 0)), [exporter])
        }
    }
}
