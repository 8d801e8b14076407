import Logging
import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryTesting
import Testing

@testable import TelemetryTracing

/// The opt-in blocking mode: producers that await `waitForRoom` wait instead of losing spans.
@Suite(.timeLimit(.minutes(1)))
struct BatchSpanProcessorBlockingTests {
    private let logger = Logger(label: "test")

    @Test func aFullQueueMakesTheProducerWaitAndThenDeliversEverySpan() async throws {
        let exporter = GatedExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 10, maxExportBatchSize: 5, blocking: true),
            clock: TestClock()
        )
        let produced = SharedCount()
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                for i in 0..<100 {
                    await processor.waitForRoom(for: 1)
                    processor.onEnd(makeSpan(i))
                    produced.increment()
                }
            }
            // The first full batch is taken and its export is held at the gate; the producer
            // refills the queue and then has to wait: 5 in the export, 10 queued, no drops.
            #expect(await eventually { produced.value == 15 && processor.queuedSpanCount == 10 })
            #expect(produced.value == 15)
            #expect(processor.droppedSpanCount == 0)
            exporter.open()
            #expect(await eventually { produced.value == 100 })
            try await processor.forceFlush()
            #expect(exporter.spans.count == 100)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(exporter.spans.map(\.name) == (0..<100).map { "span-\($0)" })
        #expect(processor.droppedSpanCount == 0)
    }

    @Test func shutdownReleasesWaitersAndTheirSpansStillLeave() async throws {
        let exporter = GatedExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 4, maxExportBatchSize: 4, blocking: true),
            clock: TestClock()
        )
        let produced = SharedCount()
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                for i in 0..<12 {
                    await processor.waitForRoom(for: 1)
                    processor.onEnd(makeSpan(i))
                    produced.increment()
                }
            }
            // 4 held in the export at the gate, 4 queued, the producer waiting for the 9th.
            #expect(await eventually { produced.value == 8 && processor.queuedSpanCount == 4 })
            await group.triggerGracefulShutdown()
            // Released while the export is still held: shutdown does not wait on the exporter first.
            #expect(await eventually { produced.value == 12 })
            exporter.open()
            try await tasks.waitForAll()
        }
        #expect(exporter.spans.count == 12)
        #expect(processor.droppedSpanCount == 0)
    }

    @Test func aCancelledWaiterReturns() async throws {
        let processor = BatchSpanProcessor(
            exporter: InMemorySpanExporter(),
            configuration: .init(maxQueueSize: 2, blocking: true),
            clock: TestClock()
        )
        processor.onEnd(makeSpan(0))
        processor.onEnd(makeSpan(1))
        // Nothing drains the queue (no run loop), so only cancellation ends the wait.
        let waiter = Task { await processor.waitForRoom(for: 1) }
        waiter.cancel()
        await waiter.value
        #expect(processor.queuedSpanCount == 2)
    }

    @Test func byDefaultNothingWaitsAndAFullQueueDropsAndCounts() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 10, maxExportBatchSize: 5),
            clock: TestClock()
        )
        for i in 0..<10 { processor.onEnd(makeSpan(i)) }
        // Returns although the queue is full and nothing drains it.
        await processor.waitForRoom(for: 5)
        for i in 10..<13 { processor.onEnd(makeSpan(i)) }
        #expect(processor.droppedSpanCount == 3)
        #expect(processor.queuedSpanCount == 10)
        try await processor.forceFlush()
        #expect(exporter.spans.count == 10)
    }

    @Test func blockingKeepsSpansEndedWithoutWaitingPastTheBound() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 10, maxExportBatchSize: 4, blocking: true),
            clock: TestClock()
        )
        for i in 0..<13 { processor.onEnd(makeSpan(i)) }
        #expect(processor.droppedSpanCount == 0)
        #expect(processor.queuedSpanCount == 13)
        try await processor.forceFlush()
        #expect(exporter.spans.map(\.name) == (0..<13).map { "span-\($0)" })
        #expect(exporter.batchSizes == [4, 4, 4, 1])
    }
}

/// A count a producer task bumps and the test reads.
final class SharedCount: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func increment() { count.withLock { $0 += 1 } }
}

/// Holds every export until `open()`, so a test can keep the queue full.
final class GatedExporter: SpanExporter {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var spans: [TelemetrySpanData] = []
    }

    private let state = Mutex(State())

    var spans: [TelemetrySpanData] { state.withLock { $0.spans } }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume() }
    }

    func export(_ batch: [TelemetrySpanData]) async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
        state.withLock { $0.spans += batch }
    }
}
