import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import TelemetryCore

/// Collects sampled spans in a bounded queue and exports them in batches from `run()`.
///
/// `span.end()` takes a lock, appends and returns: it never waits on the exporter. When the
/// queue is full the span is dropped and counted, unless the configuration opts into
/// ``Configuration/blocking``, where producers await ``waitForRoom(for:)`` instead. A full batch is exported at once, the rest
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
        /// Blocking mode only: spans ended while the queue was full, oldest first, moved into
        /// the queue as it drains.
        var overflow: [QueuedSpan] = []
        var waiters = ProducerWaiters()
        var batchSignalPending = false
        var isRunning = false
        var isShutdown = false
        /// Set once shutdown begins: ``waitForRoom(for:)`` no longer waits.
        var admitsEveryone = false
        var droppedCount = 0

        var pendingCount: Int { queue.count + overflow.count }

        /// The waiters the queue has room for now, removed for the caller to resume.
        mutating func admitWaiters() -> [CheckedContinuation<Void, Never>] {
            waiters.isEmpty ? [] : waiters.admit(room: queue.capacity - pendingCount)
        }

        /// Takes up to `limit` spans, oldest first, and refills the queue from the overflow.
        mutating func takeBatch(_ limit: Int) -> [QueuedSpan] {
            let batch = queue.take(limit)
            let moving = min(overflow.count, queue.capacity - queue.count)
            if moving > 0 {
                for span in overflow[..<moving] { queue.append(span) }
                overflow.removeFirst(moving)
            }
            return batch
        }
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
    public var queuedSpanCount: Int { state.withLock { $0.pendingCount } }

    /// In blocking mode, suspends until the queue has room for `spans` more spans; otherwise
    /// returns at once.
    ///
    /// `onEnd` is called synchronously from `span.end()` and so cannot wait; a producer that
    /// prefers waiting to dropping awaits this before work that ends up to `spans` spans (a
    /// trace, a request), on no thread of its own. Waiters are admitted oldest first as
    /// batches leave the queue, which needs ``run()`` running (or ``forceFlush()``). Returns at
    /// once when the task is cancelled, and releases every waiter as soon as shutdown begins
    /// (their spans still leave with the final drain). `spans` above `maxQueueSize` waits for
    /// an empty queue.
    public func waitForRoom(for spans: Int = 1) async {
        guard configuration.blocking else { return }
        let needed = min(max(spans, 1), configuration.maxQueueSize)
        let capacity = configuration.maxQueueSize
        let id = state.withLock { $0.waiters.makeID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Cancellation is checked under the lock its handler takes, so a cancellation
                // either is seen here or finds the waiter registered.
                let admitted = state.withLock { state in
                    if state.admitsEveryone || Task.isCancelled { return true }
                    if state.waiters.isEmpty, state.pendingCount + needed <= capacity { return true }
                    state.waiters.add(id: id, spans: needed, continuation: continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        } onCancel: {
            // The waiters behind a cancelled one may fit now.
            let resumed = state.withLock { state in
                (state.waiters.remove(id: id).map { [$0] } ?? []) + state.admitWaiters()
            }
            for waiter in resumed { waiter.resume() }
        }
    }

    public func onEnd(_ span: consuming TelemetrySpanData) {
        guard span.traceFlags.contains(.sampled) else { return }
        enqueue(.data(span))
    }

    /// Queues the ended span as it is; its ``TelemetrySpanData`` is built when its batch is taken, on
    /// the export task, so `span.end()` costs a lock and one word written. A queued span keeps
    /// its parent context (and so its ancestors) alive until then.
    public func onEnd(_ span: consuming EndedSpan) {
        guard span.isSampled else { return }
        enqueue(.ended(span.span))
    }

    private func enqueue(_ span: consuming QueuedSpan) {
        let maxBatch = configuration.maxExportBatchSize
        let blocking = configuration.blocking
        var incoming = Optional(span)
        // 0: enqueued, 1: enqueued and a batch is now full, 2: dropped.
        let outcome: Int = state.withLock { state in
            guard !state.isShutdown, blocking || !state.queue.isFull else {
                state.droppedCount += 1
                return 2
            }
            // Moved, not copied: no retain and release of the span under the lock.
            if state.queue.isFull {
                state.overflow.append(incoming.take()!)
            } else {
                state.queue.append(incoming.take()!)
            }
            if state.pendingCount >= maxBatch, !state.batchSignalPending {
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
            // Waiters go at once, not after the export in flight: their spans are still
            // accepted (in blocking mode past the bound) and leave with the final drain.
            self.releaseWaiters()
            continuation.finish()
        }

        state.withLock { $0.isShutdown = true }
        releaseWaiters()
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

    private func releaseWaiters() {
        let released = state.withLock { state in
            state.admitsEveryone = true
            return state.waiters.removeAll()
        }
        for waiter in released { waiter.resume() }
    }

    /// Takes batches off the queue and exports them, one at a time.
    private func exportQueued(onlyFullBatches: Bool) async {
        let maxBatch = configuration.maxExportBatchSize
        while true {
            let (queued, remaining, admitted) = state.withLock { state in
                let count = min(state.pendingCount, maxBatch)
                guard count > 0, !onlyFullBatches || count == maxBatch else {
                    state.batchSignalPending = false
                    return ([QueuedSpan](), state.pendingCount, state.admitWaiters())
                }
                let batch = state.takeBatch(count)
                if state.pendingCount < maxBatch { state.batchSignalPending = false }
                return (batch, state.pendingCount, state.admitWaiters())
            }
            for waiter in admitted { waiter.resume() }
            queueLengthGauge.record(remaining)
            guard !queued.isEmpty else { return }
            // Built here, outside the lock and off the threads that ended the spans.
            var batch: [TelemetrySpanData] = []
            batch.reserveCapacity(queued.count)
            for span in consume queued { batch.append(span.makeData()) }
            await export(batch)
        }
    }

    private func export(_ batch: [TelemetrySpanData]) async {
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
