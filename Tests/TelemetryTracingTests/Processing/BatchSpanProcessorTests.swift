import Logging
import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryTesting
import Testing
import Tracing

@testable import TelemetryTracing

/// Polls `condition` between yields; a generous bound keeps a broken processor from hanging the suite.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<20_000 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}

func makeSpan(_ index: Int, sampled: Bool = true) -> TelemetrySpanData {
    TelemetrySpanData(
        traceID: TraceID(high: 1, low: UInt64(index) + 1),
        spanID: SpanID(UInt64(index) + 1),
        traceFlags: sampled ? .sampled : [],
        name: "span-\(index)",
        startTimeNanos: 0,
        endTimeNanos: 1
    )
}

@Suite struct BatchSpanProcessorTests {
    private let logger = Logger(label: "test")

    @Test func losesNothingOnGracefulShutdown() async throws {
        let exporter = InMemorySpanExporter()
        let clock = TestClock()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: .default, clock: clock)
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for i in 0..<1500 { processor.onEnd(makeSpan(i)) }
            // The clock never advances: only the shutdown drain can export the partial batch.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(exporter.spans.count == 1500)
        #expect(Set(exporter.spans.map(\.spanID)).count == 1500)
        #expect(exporter.batchSizes.allSatisfy { $0 <= 512 })
        #expect(processor.droppedSpanCount == 0)
        #expect(exporter.isShutdown)
    }

    @Test func dropsOnlyPastItsBoundAndCounts() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 100, maxExportBatchSize: 10),
            clock: TestClock()
        )
        for i in 0..<130 { processor.onEnd(makeSpan(i)) }
        #expect(processor.droppedSpanCount == 30)
        #expect(processor.queuedSpanCount == 100)
        try await processor.forceFlush()
        #expect(exporter.spans.map(\.name) == (0..<100).map { "span-\($0)" })
        #expect(exporter.batchSizes == Array(repeating: 10, count: 10))
        #expect(processor.queuedSpanCount == 0)
        #expect(exporter.flushCount == 1)
    }

    @Test func exportsFullBatchesAtOnceAndTheRestAfterTheDelay() async throws {
        let exporter = InMemorySpanExporter()
        let clock = TestClock()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 100, maxExportBatchSize: 10, scheduleDelay: .seconds(5)),
            clock: clock
        )
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await clock.waitForSleepers()
            for i in 0..<25 { processor.onEnd(makeSpan(i)) }
            #expect(await eventually { exporter.spans.count == 20 })
            #expect(exporter.batchSizes == [10, 10])
            clock.advance(by: .seconds(5))
            #expect(await eventually { exporter.spans.count == 25 })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(exporter.batchSizes == [10, 10, 5])
    }

    @Test func forceFlushWhileRunningExportsEverything() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, configuration: .default, clock: TestClock())
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { processor.queuedSpanCount == 0 })
            for i in 0..<7 { processor.onEnd(makeSpan(i)) }
            try await processor.forceFlush()
            #expect(exporter.spans.count == 7)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func ignoresUnsampledSpans() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        processor.onEnd(makeSpan(1, sampled: false))
        processor.onEnd(makeSpan(2))
        try await processor.forceFlush()
        #expect(exporter.spans.map(\.name) == ["span-2"])
    }

    @Test func aHangingExportTimesOutAndLaterBatchesStillGo() async throws {
        let exporter = HangingOnceExporter()
        let clock = TestClock()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 10, maxExportBatchSize: 1, exportTimeout: .seconds(30)),
            clock: clock
        )
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await clock.waitForSleepers()  // the schedule-delay timer
            processor.onEnd(makeSpan(1))
            await clock.waitForSleepers(2)  // plus the export timeout
            clock.advance(by: .seconds(30))
            processor.onEnd(makeSpan(2))
            #expect(await eventually { exporter.delivered.map(\.name) == ["span-2"] })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func tracerToBatchProcessorToExporter() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        let tracer = TelemetryTracer(processor: processor)
        tracer.withSpan("parent") { _ in tracer.withSpan("child") { _ in } }
        try await processor.forceFlush()
        #expect(exporter.spans.map(\.name) == ["child", "parent"])
    }

    @Test func anEndedSpanIsQueuedAsItIsAndBuiltWhenItsBatchIsTaken() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        let tracer = TelemetryTracer(processor: processor)
        let span = tracer.startSpan(
            "GET /users/:id",
            context: .topLevel,
            ofKind: .server,
            at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_000)
        )
        span.attributes["http.route"] = "/users/:id"
        span.attributes["http.response.status_code"] = 200
        span.addEvent(SpanEvent(name: "cache.miss", at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_500)))
        span.setStatus(.init(code: .error, message: "boom"))
        span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 2_000))
        #expect(processor.queuedSpanCount == 1)
        #expect(exporter.spans.isEmpty)

        // Changes after `end()` must not reach the queued span.
        span.attributes["late"] = true
        span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 9_000))
        #expect(processor.queuedSpanCount == 1)

        try await processor.forceFlush()
        let exported = try #require(exporter.spans.first)
        #expect(exporter.spans.count == 1)
        #expect(exported.name == "GET /users/:id")
        #expect(exported.kind == .server)
        #expect(exported.startTimeNanos == 1_000)
        #expect(exported.endTimeNanos == 2_000)
        #expect(exported.attributes["http.route"] == .string("/users/:id"))
        #expect(exported.attributes["http.response.status_code"] == .int(200))
        #expect(exported.attributes["late"] == nil)
        #expect(exported.events.map(\.name) == ["cache.miss"])
        #expect(exported.status == .error(description: "boom"))
        #expect(exported.context.spanID == span.spanContext?.spanID)
        // The name stays readable on the span after its data has been built.
        #expect(span.operationName == "GET /users/:id")
    }

    @Test func spansHandedOverAsDataAndEndedSpansKeepTheirOrder() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        let tracer = TelemetryTracer(processor: processor)
        processor.onEnd(makeSpan(1))
        tracer.startSpan("ended", context: .topLevel).end()
        processor.onEnd(makeSpan(2))
        try await processor.forceFlush()
        #expect(exporter.spans.map(\.name) == ["span-1", "ended", "span-2"])
    }

    @Test func spansEndedConcurrentlyAreBuiltOnTheExportTaskWithEverythingTheyRecorded() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        let tracer = TelemetryTracer(processor: processor)
        let group = ServiceGroup(configuration: .init(services: [processor], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await withTaskGroup(of: Void.self) { writers in
                for task in 0..<8 {
                    writers.addTask {
                        for i in 0..<200 {
                            let span = tracer.startSpan("task-\(task)", context: .topLevel)
                            span.attributes["task"] = task
                            span.attributes["i"] = i
                            span.end()
                            // Touching the span after `end()`, while the export task may be
                            // building its data, changes nothing and must not race.
                            span.attributes["late"] = true
                            _ = span.operationName
                        }
                    }
                }
            }
            try await processor.forceFlush()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let spans = exporter.spans
        #expect(spans.count == 8 * 200)
        #expect(processor.droppedSpanCount == 0)
        for span in spans {
            #expect(span.name == "task-\(span.attributes["task"]?.intValue ?? -1)")
            #expect(span.attributes["i"] != nil)
            #expect(span.attributes["late"] == nil)
        }
    }

    @Test func aRecordedButUnsampledSpanIsNotQueued() async throws {
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock())
        let tracer = TelemetryTracer(processor: processor, configuration: .init(sampler: RecordOnlySampler()))
        let span = tracer.startSpan("recorded only", context: .topLevel)
        #expect(span.isRecording)
        span.end()
        #expect(processor.queuedSpanCount == 0)
        try await processor.forceFlush()
        #expect(exporter.spans.isEmpty)
    }
}

/// Records every span but samples none: OpenTelemetry's RECORD_ONLY.
struct RecordOnlySampler: Sampler {
    func shouldSample(_ parameters: SamplingParameters) -> SamplingResult {
        SamplingResult(decision: .recordOnly)
    }

    var description: String { "RecordOnly" }
}

/// Never finishes its first export (until cancelled); records the rest.
final class HangingOnceExporter: SpanExporter {
    private let state = Mutex<(first: Bool, spans: [TelemetrySpanData])>((true, []))

    var delivered: [TelemetrySpanData] { state.withLock { $0.spans } }

    func export(_ batch: [TelemetrySpanData]) async throws {
        let hang = state.withLock { state in
            defer { state.first = false }
            return state.first
        }
        if hang {
            while !Task.isCancelled { await Task.yield() }
            throw CancellationError()
        }
        state.withLock { $0.spans += batch }
    }
}

@Suite struct SimpleSpanProcessorTests {
    @Test func exportsEachSpanAndDrainsOnShutdown() async throws {
        let exporter = InMemorySpanExporter()
        let processor = SimpleSpanProcessor(exporter: exporter)
        let group = ServiceGroup(configuration: .init(services: [processor], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            processor.onEnd(makeSpan(1))
            processor.onEnd(makeSpan(2, sampled: false))
            try await processor.forceFlush()
            #expect(exporter.spans.map(\.name) == ["span-1"])
            for i in 3..<10 { processor.onEnd(makeSpan(i)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(exporter.spans.count == 8)
        #expect(exporter.batchSizes.allSatisfy { $0 == 1 })
        #expect(exporter.isShutdown)
    }
}
