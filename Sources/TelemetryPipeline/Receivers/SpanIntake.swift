import TelemetryCore

/// Where a receiver hands decoded spans: the memory limiters to consult and the queues of
/// every pipeline that lists the receiver.
package struct SpanIntake: Sendable {
    package enum Outcome: Sendable, Equatable {
        case accepted
        /// Refused; the client should retry after this many seconds.
        case refused(retryAfter: Int, reason: String)
    }

    let receiver: String
    let pipelines: [PipelineRunner]
    let limiters: [MemoryLimiter]
    let metrics: SelfMetrics

    /// Whether the memory limiter refuses data now (checked before reading a body).
    func admissionRetryAfter() -> Int? {
        for limiter in limiters where limiter.shouldRefuse() { return limiter.retryAfterSeconds }
        return nil
    }

    func deliver(_ spans: [SpanData]) -> Outcome {
        guard !spans.isEmpty else { return .accepted }
        var acceptedAnywhere = false
        for pipeline in pipelines where pipeline.offer(spans) { acceptedAnywhere = true }
        guard acceptedAnywhere else {
            metrics.refused.add(Double(spans.count), [receiver, "queue_full"])
            return .refused(retryAfter: 1, reason: "pipeline queue is full")
        }
        metrics.accepted.add(Double(spans.count), [receiver])
        return .accepted
    }
}
