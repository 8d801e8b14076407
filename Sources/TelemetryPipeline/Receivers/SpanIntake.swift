import TelemetryCore

/// Where a receiver hands decoded spans: the memory limiters to consult and the queues of
/// every pipeline that lists the receiver.
package struct SpanIntake: Sendable {
    package enum Outcome: Sendable, Equatable {
        case accepted
        /// Refused; the client should retry after this many seconds.
        case refused(retryAfter: Int, reason: String)
    }

    /// A request as received, which a pipeline with a journal stores so it can replay it.
    package struct Record: Sendable {
        /// A `PipelineDurability.RecordFormat` value.
        package var format: UInt8
        /// The request body, decompressed.
        package var body: [UInt8]

        package init(format: UInt8, body: [UInt8]) {
            self.format = format
            self.body = body
        }
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

    /// Hands spans to pipelines that keep them in memory only; every receiver hands its body
    /// along through ``deliver(_:record:)``, which comes here when no pipeline has a journal.
    func deliverInMemory(_ spans: [TelemetrySpanData]) -> Outcome {
        assert(pipelines.allSatisfy { $0.durability == nil }, "a journaled pipeline needs the request's record")
        guard !spans.isEmpty else { return .accepted }
        var acceptedAnywhere = false
        for pipeline in pipelines where pipeline.offer(spans) {
            acceptedAnywhere = true
        }
        return settle(spans.count, acceptedAnywhere: acceptedAnywhere)
    }

    /// Hands spans to every pipeline and, for pipelines with a journal, returns only once
    /// their record is on disk, so an accepted request survives a crash.
    func deliver(_ spans: [TelemetrySpanData], record: Record) async -> Outcome {
        guard !spans.isEmpty else { return .accepted }
        guard pipelines.contains(where: { $0.durability != nil }) else { return deliverInMemory(spans) }
        var acceptedAnywhere = false
        var writes: [(IntakeJournal, UInt64)] = []
        var reason = "pipeline queue is full"
        for pipeline in pipelines {
            guard let durability = pipeline.durability else {
                if pipeline.offer(spans) { acceptedAnywhere = true }
                continue
            }
            switch durability.journal.append(format: record.format, body: record.body, admit: { pipeline.offer(spans, sequence: $0) }) {
            case .accepted(let sequence):
                writes.append((durability.journal, sequence))
                acceptedAnywhere = true
            case .full:
                reason = "persistent queue is full"
            case .refused:
                if durability.journal.isReplaying { reason = "replaying the persistent queue" }
            }
        }
        for (journal, sequence) in writes {
            guard await journal.waitDurable(sequence) else {
                metrics.refused.add(Double(spans.count), [receiver, "journal_error"])
                return .refused(retryAfter: 1, reason: "could not write the persistent queue")
            }
        }
        return settle(spans.count, acceptedAnywhere: acceptedAnywhere, reason: reason)
    }

    private func settle(_ count: Int, acceptedAnywhere: Bool, reason: String = "pipeline queue is full") -> Outcome {
        guard acceptedAnywhere else {
            metrics.refused.add(Double(count), [receiver, "queue_full"])
            return .refused(retryAfter: 1, reason: reason)
        }
        metrics.accepted.add(Double(count), [receiver])
        return .accepted
    }
}
