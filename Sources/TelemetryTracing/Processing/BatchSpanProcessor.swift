import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import TelemetryCore

/// Collects sampled spans in a bounded queue and exports them in batches from `run()`.
///
/// `span.end()` takes a lock, appends and returns: it never waits on the exporter. When the
/// queue is full the span is dropped and counted. A full batch is exported at once, the rest
/// after `scheduleDelay`; `forceFlush()` and graceful shutdown export everything queued
/// before returning. Self-metrics go through swift-metrics:
/// `telemetry_span_processor_queue_length`, `telemetry_span_processor_dropped_spans_total`,
/// `telemetry_span_processor_exported_spans_total` and `telemetry_span_processor_failed_spans_total`.
public final class BatchSpanProcessor: SpanProcessor {
    private enum Event: Sendable {
        case batchReady
        case tick
        case flush(CheckedContinuation<Void, Never>)
    }

    private struct State {
        var queue: SpanQueue
        var batchSignalPending = false
        var isRunning = false
        var isShutdown = false
        var droppedCount = 0
    }

    private let exporter: any SpanExporter
    private let configuration: Configuration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let state: Mutex<State>
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let queueLengthGauge: Gauge
    private let droppedCounter: Counter
    private let exportedCounter: Counter
    private let failedCounter: Counter

    /// Creates a processor exporting to `exporter`.
    ///
    /// - Parameters:
    ///   - exporter: Receives the batches, one export at a time.
    ///   - configuration: Queue size, batch size and timings.
    ///   - clock: Times the schedule delay and export timeout; inject a test clock in tests.
    ///   - logger: Reports failed exports.
    ///   - metricsFactory: Where the self-metrics go. Default: the one `MetricsSystem` was
    ///     bootstrapped with.
    public init(
        exporter: any SpanExporter,
        configuration: Configuration = .default,
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "telemetry.batch-span-processor"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.exporter = exporter
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        // Allocated once at full size, so enqueueing on the hot path never allocates.
        self.state = Mutex(State(queue: SpanQueue(capacity: configuration.maxQueueSize)))
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        queueLengthGauge = Gauge(label: "telemetry_span_processor_queue_length", factory: metricsFactory)
        droppedCounter = Counter(label: "telemetry_span_processor_dropped_spans_total", factory: metricsFactory)
        exportedCounter = Counter(label: "telemetry_span_processor_exported_spans_total", factory: metricsFactory)
        failedCounter = Counter(label: "telemetry_span_processor_failed_spans_total", factory: metricsFactory)
    }

    /// Spans dropped so far because the queue was full (or the processor shut down).
    public var droppedSpanCount: Int { state.withLock { $0.droppedCount } }

    /// Spans waiting to be exported.
    public var queuedSpanCount: Int { state.withLock { $0.queue.count } }

    public func onEnd(_ span: consuming SpanData) {
        guard span.traceFlags.contains(.sampled) else { return }
        enqueue(.data(span))
    }

    /// Queues the ended span as it is; its ``SpanData`` is built when its batch is taken, on
    /// the export task, so `span.end()` costs a lock and one word written. A queued span keeps
    /// its parent context (and so its ancestors) alive until then.
    public func onEnd(_ span: consuming EndedSpan) {
        guard span.isSampled else { return }
        enqueue(.ended(span.span))
    }

    private func enqueue(_ span: consuming QueuedSpan) {
        let maxBatch = configuration.maxExportBatchSize
        var incoming = Optional(span)
        // 0: enqueued, 1: enqueued and a batch is now full, 2: dropped.
        let outcome: Int = state.withLock { state in
            guard !state.isShutdown, !state.queue.isFull else {
                state.droppedCount += 1
                return 2
            }
            // Moved, not copied: no retain and release of the span under the lock.
            state.queue.append(incoming.take()!)
            if state.queue.count >= maxBatch, !state.batchSignalPending {
                state.batchSignalPending = true
                return 1
            }
            return 0
        }
        switch outcome {
        case 1: continuation.yield(.batchReady)
        case 2: droppedCounter.increment()
        default: break
        }
    }

    /// Exports everything queued before this call and flushes the exporter.
    public func forceFlush() async throws {
        let viaRunLoop = state.withLock { $0.isRunning && !$0.isShutdown }
        if viaRunLoop {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                if case .terminated = continuation.yield(.flush(waiter)) { waiter.resume() }
            }
        } else {
            await exportQueued(onlyFullBatches: false)
        }
        try await exporter.forceFlush()
    }

    public func run() async throws {
        let alreadyRunning = state.withLock { state in
            defer { state.isRunning = true }
            return state.isRunning
        }
        guard !alreadyRunning else { return }

        var iterator = events.makeAsyncIterator()
        let clock = self.clock
        let delay = configuration.scheduleDelay
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(for: delay) } catch { return }
                        continuation.yield(.tick)
                    }
                }
                // The iterator ends when the stream is finished (graceful shutdown) or the task is cancelled.
                while let event = await iterator.next() {
                    switch event {
                    case .batchReady:
                        await exportQueued(onlyFullBatches: true)
                    case .tick:
                        await exportQueued(onlyFullBatches: false)
                    case .flush(let waiter):
                        await exportQueued(onlyFullBatches: false)
                        waiter.resume()
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }

        state.withLock { $0.isShutdown = true }
        continuation.finish()
        // An unstructured task does not inherit cancellation, so even when `run()` was
        // cancelled rather than shut down gracefully the last spans still get their export.
        await Task { await self.exportQueued(onlyFullBatches: false) }.value
        // Release anyone whose flush request was still buffered when the loop ended.
        while let event = await iterator.next() {
            if case .flush(let waiter) = event { waiter.resume() }
        }
        do {
            try await exporter.forceFlush()
        } catch {
            logger.warning("Flushing the span exporter failed", metadata: ["error": "\(error)"])
        }
        await exporter.shutdown()
    }

    /// Takes batches off the queue and exports them, one at a time.
    private func exportQueued(onlyFullBatches: Bool) async {
        let maxBatch = configuration.maxExportBatchSize
        while true {
            let (queued, remaining): ([QueuedSpan], Int) = state.withLock { state in
                let count = min(state.queue.count, maxBatch)
                guard count > 0, !onlyFullBatches || count == maxBatch else {
                    state.batchSignalPending = false
                    return ([], state.queue.count)
                }
                let batch = state.queue.take(count)
                if state.queue.count < maxBatch { state.batchSignalPending = false }
                return (batch, state.queue.count)
            }
            queueLengthGauge.record(remaining)
            guard !queued.isEmpty else { return }
            // Built here, outside the lock and off the threads that ended the spans.
            var batch: [SpanData] = []
            batch.reserveCapacity(queued.count)
            for span in consume queued { batch.append(span.makeData()) }
            await export(batch)
        }
    }

    private func export(_ batch: [SpanData]) async {
        let exporter = self.exporter
        let clock = self.clock
        let timeout = configuration.exportTimeout
        do {
            let completed = try await withThrowingTaskGroup(of: Bool?.self) { group in
                group.addTask {
                    try await exporter.export(batch)
                    return true
                }
                group.addTask {
                    // Cancelled (not expired) means the export finished first: no verdict.
                    do { try await clock.sleep(for: timeout) } catch { return nil }
                    return false
                }
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                return false
            }
            if completed {
                exportedCounter.increment(by: batch.count)
            } else {
                failedCounter.increment(by: batch.count)
                logger.warning("Span export timed out", metadata: ["spans": "\(batch.count)", "timeout": "\(timeout)"])
            }
        } catch {
            failedCounter.increment(by: batch.count)
            logger.warning("Span export failed", metadata: ["spans": "\(batch.count)", "error": "\(error)"])
        }
    }
}
