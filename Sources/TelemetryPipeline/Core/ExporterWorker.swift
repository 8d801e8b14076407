import Logging
import ServiceLifecycle
import Synchronization
import TelemetryCore

/// Feeds one exporter. With a sending queue (`sending_queue.enabled`, the default for
/// exporters with delivery settings) requests wait in a bounded queue drained by
/// `num_consumers` senders, and a full queue drops the newest request with a count. Without
/// one, spans wait in a span-bounded queue the pipeline waits on when it is full, so they back
/// up to the receivers (503) instead of being dropped. Either way failures go through
/// `retry_on_failure`; see ``ExporterWorker+Delivery``.
package final class ExporterWorker: Service, Sendable {
    package let id: ComponentID
    let exporter: any SpanExporter
    let queue: SpanQueue
    let sendingQueue: SendingQueue?
    let delivery: DeliverySettings
    let maxBatch: Int
    /// Chunks smaller than this are merged into export batches; larger ones go as they are.
    let mergedBelow: Int
    let metrics: SelfMetrics
    let logger: Logger
    let random: @Sendable () -> Double
    /// Set when shutdown begins: retries stop waiting.
    let stopping = Atomic<Bool>(false)
    /// Set when a load balancer removed this worker's backend: what it still holds goes to
    /// `reroute` instead of being dropped.
    let retired = Atomic<Bool>(false)
    let reroute: (@Sendable ([TelemetrySpanData]) -> Void)?

    /// A worker without a sending queue or retries, for local exporters (debug, file).
    package convenience init(
        id: ComponentID, exporter: any SpanExporter, capacity: Int, maxBatch: Int = 8192, metrics: SelfMetrics, logger: Logger
    ) {
        var local = DeliverySettings()
        local.retry.enabled = false
        local.queue.enabled = false
        self.init(id: id, exporter: exporter, delivery: local, capacity: capacity, maxBatch: maxBatch, metrics: metrics, logger: logger)
    }

    /// A worker with `retry_on_failure` and `sending_queue`; `capacity` bounds the span queue
    /// used when the sending queue is disabled. A worker given `reroute` keeps waiting
    /// requests as spans, so that after ``retire()`` they can be sent elsewhere.
    package init(
        id: ComponentID, exporter: any SpanExporter, delivery: DeliverySettings, capacity: Int, maxBatch: Int = 8192,
        mergedBelow: Int = ExporterWorker.ownBatch, metrics: SelfMetrics, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        reroute: (@Sendable ([TelemetrySpanData]) -> Void)? = nil
    ) {
        self.id = id
        self.exporter = exporter
        self.delivery = delivery
        self.reroute = reroute
        self.queue = SpanQueue(capacity: capacity)
        if delivery.queue.enabled {
            let encoder = reroute == nil ? exporter as? any WireEncodingSpanExporter : nil
            sendingQueue = SendingQueue(capacity: delivery.queue.queueSize, encoder: encoder)
        } else {
            sendingQueue = nil
        }
        self.maxBatch = maxBatch
        self.mergedBelow = mergedBelow
        self.metrics = metrics
        self.logger = logger
        self.random = random
        if let sendingQueue {
            metrics.exporterQueueCapacity.set(Double(sendingQueue.capacity), ["\(id)"])
            metrics.exporterQueueSize.set(0, ["\(id)"])
            for reason in DropReason.allCases { metrics.exporterDropped.add(0, ["\(id)", reason.rawValue]) }
        } else {
            metrics.queueCapacity.set(Double(capacity), ["exporter/\(id)"])
        }
    }

    /// Why the worker dropped spans, the `reason` label of `telemetry_exporter_spans_dropped_total`.
    package enum DropReason: String, CaseIterable, Sendable {
        case queueFull = "queue_full"
        case retriesExhausted = "retries_exhausted"
        case permanentError = "permanent_error"
        case shutdown
    }

    /// Enqueues spans; see ``offer(chunks:hold:)``.
    func offer(_ spans: [TelemetrySpanData]) async {
        await offer(chunks: [spans])
    }

    /// Enqueues batches. With a sending queue each export batch is one request, refused and
    /// counted when the queue is full; otherwise this waits while the span queue is full.
    /// `hold` keeps the pipeline's journal records until the requests are settled.
    func offer(chunks: [[TelemetrySpanData]], hold: DurabilityHold? = nil) async {
        guard let sendingQueue else {
            if await !queue.offerWaiting(chunks: chunks) {
                metrics.dropped.add(Double(chunks.reduce(0) { $0 + $1.count }), ["exporter/\(id)"])
            }
            return
        }
        for batch in Self.batches(chunks, maxBatch: maxBatch, mergedBelow: mergedBelow) {
            hold?.retain()
            if !sendingQueue.offer(.init(spans: batch, hold: hold)) {
                drop(batch.count, .queueFull)
                hold?.release()
            }
        }
        metrics.exporterQueueSize.set(Double(sendingQueue.size.requests), ["\(id)"])
    }

    package func run() async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let active = exporter as? any ActiveSpanExporter { group.addTask { await active.run() } }
                await drain()
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
    }

    /// What graceful shutdown does: stop taking spans, stop retrying, send what is queued.
    package func beginShutdown() {
        stopping.store(true, ordering: .relaxed)
        queue.finish()
        sendingQueue?.finish()
    }

    /// Stops the worker for good and returns the spans of the requests still queued; requests
    /// being sent go to `reroute` if they fail. The worker's ``run()`` then ends.
    package func retire() -> [[TelemetrySpanData]] {
        // Retired before stopping, both ordered: a sender that sees `stopping` also sees `retired`.
        retired.store(true, ordering: .sequentiallyConsistent)
        stopping.store(true, ordering: .sequentiallyConsistent)
        queue.finish()
        let waiting = sendingQueue?.drainAndFinish() ?? []
        metrics.exporterQueueSize.set(0, ["\(id)"])
        return waiting.compactMap { request in
            request.hold?.release()
            if case .spans(let spans) = request.payload { return spans }
            return nil
        }
    }

    /// Sends until the queues are finished and empty, then flushes and shuts the exporter down.
    private func drain() async {
        if let sendingQueue {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<delivery.queue.numConsumers {
                    group.addTask { await self.consume(sendingQueue) }
                }
            }
        } else {
            while let chunks = await queue.takeChunks(waitingAtMost: .milliseconds(500)) {
                metrics.queueSize.set(Double(queue.count), ["exporter/\(id)"])
                for batch in Self.batches(chunks, maxBatch: maxBatch, mergedBelow: mergedBelow) { await send(SendingQueue.Request(spans: batch)) }
            }
        }
        do {
            try await exporter.forceFlush()
        } catch {
            logger.warning("exporter flush failed", metadata: ["exporter": "\(id)", "error": "\(error)"])
        }
        await exporter.shutdown()
    }

    private func consume(_ sendingQueue: SendingQueue) async {
        while let request = await sendingQueue.take() {
            metrics.exporterQueueSize.set(Double(sendingQueue.size.requests), ["\(id)"])
            await send(request)
        }
    }

    /// A chunk of at least this many spans is sent as it is; smaller ones are merged.
    static let ownBatch = 512

    /// Export batches of at most `maxBatch` spans: large chunks go as they are (split when
    /// over `maxBatch`), small ones are merged, so big batches are not copied again.
    static func batches(_ chunks: [[TelemetrySpanData]], maxBatch: Int, mergedBelow: Int = ownBatch) -> [[TelemetrySpanData]] {
        var batches: [[TelemetrySpanData]] = []
        var pending: [TelemetrySpanData] = []
        func flush() {
            if !pending.isEmpty { batches.append(pending) }
            pending = []
        }
        for chunk in chunks where !chunk.isEmpty {
            if chunk.count >= min(mergedBelow, maxBatch) {
                flush()
                if chunk.count <= maxBatch {
                    batches.append(chunk)
                } else {
                    for start in stride(from: 0, to: chunk.count, by: maxBatch) {
                        batches.append(Array(chunk[start..<min(chunk.count, start + maxBatch)]))
                    }
                }
            } else {
                if pending.count + chunk.count > maxBatch { flush() }
                pending.append(contentsOf: chunk)
            }
        }
        flush()
        return batches
    }

    func drop(_ count: Int, _ reason: DropReason) {
        metrics.exporterDropped.add(Double(count), ["\(id)", reason.rawValue])
    }
}
