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
        if await !queue.offerWaiting(spans) { metrics.dropped.add(Double(spans.count), ["exporter/\(id)"]) }
    }

    package func run() async {
        await withGracefulShutdownHandler {
            while let spans = await queue.take(waitingAtMost: .milliseconds(500)) {
                metrics.queueSize.set(Double(queue.count), ["exporter/\(id)"])
                var start = 0
                while start < spans.count {
                    let end = min(spans.count, start + maxBatch)
                    await send(Array(spans[start..<end]))
                    start = end
                }
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
