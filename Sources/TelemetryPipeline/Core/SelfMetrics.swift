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
    }
}
