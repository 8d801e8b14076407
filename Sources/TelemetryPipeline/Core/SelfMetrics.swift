/// The pipeline's own metrics: spans received, refused, dropped and exported per
/// component, queue lengths and export failures.
package struct SelfMetrics: Sendable {
    let accepted: MetricFamily
    let refused: MetricFamily
    let dropped: MetricFamily
    let sent: MetricFamily
    let failed: MetricFamily
    let queueSize: MetricFamily
    let queueCapacity: MetricFamily
    let requests: MetricFamily
    let grpcRequests: MetricFamily
    /// Per exporter with delivery settings, by reason: `queue_full`, `retries_exhausted`,
    /// `permanent_error`, `shutdown`. The SDK exporters' delivery shares the family with its own reasons.
    let exporterDropped: MetricFamily
    let exporterRetries: MetricFamily
    /// The sending queue's length and capacity, in requests (batches).
    let exporterQueueSize: MetricFamily
    let exporterQueueCapacity: MetricFamily
    /// Spans a pipeline replayed from its journal at start-up.
    let replayed: MetricFamily
    /// Bytes a pipeline's journal holds on disk.
    let journalBytes: MetricFamily
    /// A journal's group commits, the records they carried, and the seconds spent writing and syncing.
    let journalCommits: MetricFamily
    let journalCommittedRecords: MetricFamily
    let journalCommitSeconds: MetricFamily

    package init(registry: MetricRegistry) {
        accepted = registry.counter(
            "pipeline_receiver_accepted_spans_total", help: "Spans accepted by a receiver.", labels: ["receiver"])
        refused = registry.counter(
            "pipeline_receiver_refused_spans_total", help: "Spans refused by a receiver, by reason.", labels: ["receiver", "reason"])
        requests = registry.counter(
            "pipeline_receiver_requests_total", help: "Requests handled by a receiver, by HTTP status.", labels: ["receiver", "status"])
        grpcRequests = registry.counter(
            "pipeline_receiver_grpc_requests_total", help: "Calls handled by a gRPC receiver, by gRPC status code.",
            labels: ["receiver", "code"])
        dropped = registry.counter(
            "pipeline_queue_dropped_spans_total", help: "Spans dropped because a queue was full.", labels: ["component"])
        sent = registry.counter("pipeline_exporter_sent_spans_total", help: "Spans an exporter delivered.", labels: ["exporter"])
        failed = registry.counter(
            "pipeline_exporter_send_failed_spans_total", help: "Spans an exporter failed to deliver.", labels: ["exporter"])
        queueSize = registry.gauge("pipeline_queue_size", help: "Spans waiting in a queue.", labels: ["component"])
        queueCapacity = registry.gauge("pipeline_queue_capacity", help: "Capacity of a queue, in spans.", labels: ["component"])
        exporterDropped = registry.counter(
            "telemetry_exporter_spans_dropped_total", help: "Spans an exporter will never deliver, by reason.", labels: ["exporter", "reason"])
        exporterRetries = registry.counter(
            "telemetry_exporter_retries_total", help: "Export attempts after the first.", labels: ["exporter"])
        replayed = registry.counter(
            "pipeline_journal_replayed_spans_total", help: "Spans replayed from a pipeline's journal at start-up.", labels: ["component"])
        journalBytes = registry.gauge("pipeline_journal_bytes", help: "Bytes a pipeline's journal holds.", labels: ["component"])
        journalCommits = registry.counter(
            "pipeline_journal_commits_total", help: "Group commits (one write and sync each) of a pipeline's journal.", labels: ["component"])
        journalCommittedRecords = registry.counter(
            "pipeline_journal_committed_records_total", help: "Records (requests) written by a journal's group commits.",
            labels: ["component"])
        journalCommitSeconds = registry.counter(
            "pipeline_journal_commit_seconds_total", help: "Time a journal spent writing and syncing.", labels: ["component"])
        exporterQueueSize = registry.gauge(
            "telemetry_exporter_queue_size", help: "Requests waiting in an exporter's sending queue.", labels: ["exporter"])
        exporterQueueCapacity = registry.gauge(
            "telemetry_exporter_queue_capacity", help: "Capacity of an exporter's sending queue, in requests.", labels: ["exporter"])
    }
}
