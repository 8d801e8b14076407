import Logging
import ServiceLifecycle
import TelemetryCore

/// Feeds one exporter from its own bounded queue, which absorbs a slow backend's bursts; when
/// that queue is full the pipeline waits for it rather than dropping spans it accepted (the
/// exporter's retry give-up bounds the wait). On shutdown it sends what is queued, then
/// flushes and shuts the exporter down.
package final class ExporterWorker: Service, Sendable {
    package let id: ComponentID
    let exporter: any SpanExporter
    let queue: SpanQueue
    let maxBatch: Int
    let metrics: SelfMetrics
    let logger: Logger

    package init(id: ComponentID, exporter: any SpanExporter, capacity: Int, maxBatch: Int = 8192, metrics: SelfMetrics, logger: Logger) {
        self.id = id
        self.exporter = exporter
        self.queue = SpanQueue(capacity: capacity)
        self.maxBatch = maxBatch
        self.metrics = metrics
        self.logger = logger
        metrics.queueCapacity.set(Double(capacity), ["exporter/\(id)"])
    }

    /// Enqueues spans, waiting while this exporter's queue is full: the wait backs up into the
    /// pipeline's queue, whose receivers then answer 503, so accepted spans are not dropped
    /// here. Only a queue already shut down drops, and counts it.
    func offer(_ spans: [SpanData]) async {
        await offer(chunks: [spans])
    }

    /// Enqueues batches together, as `offer(_:)` does.
    func offer(chunks: [[SpanData]]) async {
        if await !queue.offerWaiting(chunks: chunks) {
            metrics.dropped.add(Double(chunks.reduce(0) { $0 + $1.count }), ["exporter/\(id)"])
        }
    }

    package func run() async {
        await withGracefulShutdownHandler {
            while let chunks = await queue.takeChunks(waitingAtMost: .milliseconds(500)) {
                metrics.queueSize.set(Double(queue.count), ["exporter/\(id)"])
                for batch in Self.batches(chunks, maxBatch: maxBatch) { await send(batch) }
            }
            do {
                try await exporter.forceFlush()
            } catch {
                logger.warning("exporter flush failed", metadata: ["exporter": "\(id)", "error": "\(error)"])
            }
            await exporter.shutdown()
        } onGracefulShutdown: {
            self.queue.finish()
        }
    }

    /// A chunk of at least this many spans is sent as it is; smaller ones are merged.
    static let ownBatch = 512

    /// Export batches of at most `maxBatch` spans: large chunks go as they are (split when
    /// over `maxBatch`), small ones are merged, so big batches are not copied again.
    static func batches(_ chunks: [[SpanData]], maxBatch: Int) -> [[SpanData]] {
        var batches: [[SpanData]] = []
        var pending: [SpanData] = []
        func flush() {
            if !pending.isEmpty { batches.append(pending) }
            pending = []
        }
        for chunk in chunks where !chunk.isEmpty {
            if chunk.count >= min(ownBatch, maxBatch) {
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

    private func send(_ batch: [SpanData]) async {
        do {
            try await exporter.export(batch)
            metrics.sent.add(Double(batch.count), ["\(id)"])
        } catch {
            metrics.failed.add(Double(batch.count), ["\(id)"])
            logger.warning("export failed", metadata: ["exporter": "\(id)", "spans": "\(batch.count)", "error": "\(error)"])
        }
    }
}
