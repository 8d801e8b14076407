import Logging
import ServiceLifecycle
import TelemetryCore
import TelemetryTesting
import TelemetryTracing
import Testing

/// Rejects every batch, as an unreachable backend would after its retries.
struct RejectingExporter: SpanExporter {
    struct Unreachable: Error {}
    func export(_ batch: [TelemetrySpanData]) async throws { throw Unreachable() }
}

@Suite struct BatchSpanProcessorMetricsTests {
    private static let queueLength = "telemetry_span_processor_queue_length"
    private static let dropped = "telemetry_span_processor_dropped_spans_total"
    private static let exported = "telemetry_span_processor_exported_spans_total"
    private static let failed = "telemetry_span_processor_failed_spans_total"

    @Test func countsDroppedAndExportedSpansAndReportsTheQueueLength() async throws {
        let metrics = TestMetricsFactory()
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(
            exporter: exporter,
            configuration: .init(maxQueueSize: 100, maxExportBatchSize: 10),
            clock: TestClock(),
            metricsFactory: metrics
        )
        for i in 0..<130 { processor.onEnd(makeSpan(i)) }
        processor.onEnd(makeSpan(500, sampled: false))  // never queued, so neither dropped nor exported
        #expect(metrics.counter(Self.dropped) == 30)
        #expect(metrics.counter(Self.exported) == 0)

        try await processor.forceFlush()
        #expect(metrics.counter(Self.exported) == 100)
        #expect(metrics.counter(Self.dropped) == 30)
        #expect(metrics.counter(Self.failed) == 0)
        // After each batch the gauge reports what is left: 90, 80, … 0, then 0 when the drain finds nothing.
        #expect(metrics.recorded(Self.queueLength) == stride(from: 90, through: 0, by: -10).map(Double.init) + [0])

        // Room again: the next spans are queued, not dropped.
        for i in 0..<5 { processor.onEnd(makeSpan(1_000 + i)) }
        try await processor.forceFlush()
        #expect(metrics.counter(Self.dropped) == 30)
        #expect(metrics.counter(Self.exported) == 105)
        #expect(exporter.spans.count == 105)
    }

    @Test func countsSpansOfFailedExportsAsFailedNotExported() async throws {
        let metrics = TestMetricsFactory()
        let processor = BatchSpanProcessor(
            exporter: RejectingExporter(),
            configuration: .init(maxQueueSize: 20, maxExportBatchSize: 4),
            clock: TestClock(),
            logger: Logger(label: "test"),
            metricsFactory: metrics
        )
        for i in 0..<10 { processor.onEnd(makeSpan(i)) }
        try await processor.forceFlush()
        #expect(metrics.counter(Self.failed) == 10)
        #expect(metrics.counter(Self.exported) == 0)
        #expect(metrics.counter(Self.dropped) == 0)
        #expect(metrics.recorded(Self.queueLength).last == 0)
    }

    @Test func countsSpansEndedAfterShutdownAsDropped() async throws {
        let metrics = TestMetricsFactory()
        let exporter = InMemorySpanExporter()
        let processor = BatchSpanProcessor(exporter: exporter, clock: TestClock(), metricsFactory: metrics)
        let group = ServiceGroup(configuration: .init(services: [processor], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for i in 0..<3 { processor.onEnd(makeSpan(i)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(metrics.counter(Self.exported) == 3)
        processor.onEnd(makeSpan(99))
        #expect(metrics.counter(Self.dropped) == 1)
        #expect(exporter.spans.count == 3)
    }
}
