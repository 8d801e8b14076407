import Logging
import Synchronization
import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("queues push back instead of dropping accepted spans")
struct BackpressureTests {
    @Test("offerWaiting holds a batch until the consumer makes room")
    func offerWaitingWaitsForRoom() async throws {
        let queue = SpanQueue(capacity: 2)
        #expect(queue.offer([Spans.make(spanID: 1), Spans.make(spanID: 2)]))
        let waiting = Task { await queue.offerWaiting([Spans.make(spanID: 3)]) }
        // The third span cannot be queued while the first two fill the queue.
        let first = try #require(await queue.take(waitingAtMost: .seconds(5)))
        #expect(first.map(\.spanID.rawValue) == [1, 2])
        #expect(await waiting.value)
        let second = try #require(await queue.take(waitingAtMost: .seconds(5)))
        #expect(second.map(\.spanID.rawValue) == [3])
    }

    @Test("an empty queue's consumer sleeps out its timeout after an offer woke it, instead of spinning")
    func idleConsumerWaitsAfterAWakeUp() async throws {
        let queue = SpanQueue(capacity: 10)
        for spanID in 1...3 as ClosedRange<UInt64> {
            let taking = Task { await queue.takeChunks(waitingAtMost: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(50))  // most often parked by now; either way the offer is taken
            #expect(queue.offer([Spans.make(spanID: spanID)]))
            #expect(await taking.value?.joined().map(\.spanID.rawValue) == [spanID])
        }
        // Each empty take lasts its 200 ms timeout; a wake-up left over from the offers would
        // make every take return at once, a consumer looping on the CPU.
        let clock = ContinuousClock()
        let end = clock.now + .seconds(1)
        var takes = 0
        while clock.now < end {
            #expect(await queue.takeChunks(waitingAtMost: .milliseconds(200)) == [])
            takes += 1
        }
        #expect(takes <= 6)
    }

    @Test("offerWaiting refuses once the queue is finished, and a batch larger than the queue still fits an empty one")
    func offerWaitingEdges() async {
        let queue = SpanQueue(capacity: 1)
        #expect(await queue.offerWaiting((1...3).map { Spans.make(spanID: $0) }))
        #expect(queue.count == 3)
        queue.finish()
        #expect(await queue.offerWaiting([Spans.make(spanID: 4)]) == false)
    }

    @Test("an exporter whose queue is full makes the pipeline wait; every offered span is exported")
    func fullExporterQueueWaits() async throws {
        let registry = MetricRegistry()
        let exporter = GatedExporter()
        let worker = ExporterWorker(
            id: ComponentID("debug"), exporter: exporter, capacity: 10, metrics: SelfMetrics(registry: registry),
            logger: Logger(label: "test"))
        let batch = { (base: UInt64) in (1...10).map { Spans.make(spanID: base + $0) } }

        let running = Task { await worker.run() }
        await worker.offer(batch(0))
        while exporter.entered.withLock({ $0 }) == 0 { await Task.yield() }  // the first batch is being exported
        await worker.offer(batch(10))  // fills the queue
        let third = Task { await worker.offer(batch(20)) }  // must wait, not drop
        exporter.open()
        await third.value
        worker.queue.finish()
        await running.value

        #expect(exporter.exported.withLock { $0 } == 30)
        #expect((registry.lookup("pipeline_queue_dropped_spans_total")?.value(["exporter/debug"]) ?? 0) == 0)
    }
}

/// An exporter that holds its first export until `open()` is called.
private final class GatedExporter: SpanExporter, Sendable {
    let entered = Mutex(0)
    let exported = Mutex(0)
    private let gate = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = gate.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func export(_ batch: [TelemetrySpanData]) async throws {
        entered.withLock { $0 += 1 }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = gate.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        exported.withLock { $0 += batch.count }
    }
}
