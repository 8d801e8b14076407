import Logging
import Synchronization
import TelemetryCore
import TelemetryHTTPExport
import Testing

@testable import TelemetryPipeline

/// The pipeline's retry layer and sending queue around a scripted exporter: what is retried,
/// what is dropped, and under which `reason`.
@Suite(.timeLimit(.minutes(1))) struct ExporterWorkerDeliveryTests {
    /// Fails its first exports with the given errors, then succeeds.
    final class ScriptedExporter: SpanExporter, Sendable {
        let failures: Mutex<[any Error]>
        let attempts = Mutex(0)
        let delivered = Mutex(0)

        init(failing failures: [any Error]) {
            self.failures = Mutex(failures)
        }

        func export(_ batch: [TelemetrySpanData]) async throws {
            attempts.withLock { $0 += 1 }
            if let failure = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
            delivered.withLock { $0 += batch.count }
        }
    }

    struct Unavailable: RetryClassifiedError {
        var isPermanent: Bool { false }
        var retryAfter: Duration? { nil }
    }

    static func fastRetries(maxElapsed: Duration = .zero) -> DeliverySettings {
        var delivery = DeliverySettings()
        delivery.retry.initialInterval = .milliseconds(1)
        delivery.retry.maxInterval = .milliseconds(2)
        delivery.retry.maxElapsedTime = maxElapsed
        return delivery
    }

    static func dropped(_ registry: MetricRegistry, _ reason: String) -> Double {
        registry.lookup("telemetry_exporter_spans_dropped_total")?.value(["otlphttp", reason]) ?? -1
    }

    func worker(_ exporter: ScriptedExporter, _ delivery: DeliverySettings, _ registry: MetricRegistry) -> ExporterWorker {
        ExporterWorker(
            id: ComponentID("otlphttp"), exporter: exporter, delivery: delivery, capacity: 100, metrics: SelfMetrics(registry: registry),
            logger: Logger(label: "test"), random: { 0.5 })
    }

    @Test func retryableFailuresAreRetriedUntilDelivered() async {
        let registry = MetricRegistry()
        let exporter = ScriptedExporter(failing: [Unavailable(), HTTPExportError.retriesExhausted, Unavailable()])
        await worker(exporter, Self.fastRetries(), registry).send(.init(spans: [Spans.make(spanID: 1), Spans.make(spanID: 2)]))
        #expect(exporter.attempts.withLock { $0 } == 4)
        #expect(exporter.delivered.withLock { $0 } == 2)
        #expect(registry.lookup("telemetry_exporter_retries_total")?.value(["otlphttp"]) == 3)
        #expect(registry.lookup("pipeline_exporter_sent_spans_total")?.value(["otlphttp"]) == 2)
    }

    @Test func aPermanentFailureIsDroppedWithoutARetry() async {
        let registry = MetricRegistry()
        let exporter = ScriptedExporter(failing: [HTTPExportError.rejected])
        await worker(exporter, Self.fastRetries(), registry).send(.init(spans: [Spans.make(spanID: 1)]))
        #expect(exporter.attempts.withLock { $0 } == 1)
        #expect(Self.dropped(registry, "permanent_error") == 1)
        #expect(registry.lookup("pipeline_exporter_send_failed_spans_total")?.value(["otlphttp"]) == 1)
    }

    @Test func maxElapsedTimeEndsTheRetries() async {
        let registry = MetricRegistry()
        let exporter = ScriptedExporter(failing: Array(repeating: Unavailable(), count: 10_000))
        await worker(exporter, Self.fastRetries(maxElapsed: .milliseconds(30)), registry).send(.init(spans: [Spans.make(spanID: 1)]))
        #expect(exporter.attempts.withLock { $0 } > 1)
        #expect(exporter.delivered.withLock { $0 } == 0)
        #expect(Self.dropped(registry, "retries_exhausted") == 1)
    }

    @Test func withRetriesOffARetryableFailureIsDroppedAtOnce() async {
        let registry = MetricRegistry()
        var delivery = Self.fastRetries()
        delivery.retry.enabled = false
        let exporter = ScriptedExporter(failing: [Unavailable()])
        await worker(exporter, delivery, registry).send(.init(spans: [Spans.make(spanID: 1)]))
        #expect(exporter.attempts.withLock { $0 } == 1)
        #expect(Self.dropped(registry, "retries_exhausted") == 1)
    }

    @Test func aFullSendingQueueDropsTheNewRequestAndCountsIt() async {
        let registry = MetricRegistry()
        var delivery = Self.fastRetries()
        delivery.queue.queueSize = 2
        // Not running: nothing drains the queue.
        let worker = worker(ScriptedExporter(failing: []), delivery, registry)
        for index in 0..<5 { await worker.offer(chunks: [(0..<600).map { Spans.make(spanID: UInt64(index * 1000 + $0 + 1)) }]) }
        #expect(worker.sendingQueue?.size.requests == 2)
        #expect(Self.dropped(registry, "queue_full") == 1_800)
        #expect(registry.lookup("telemetry_exporter_queue_capacity")?.value(["otlphttp"]) == 2)
    }

    @Test func aRequestHoldingJournalRecordsReleasesThemOnceSettled() async {
        let holds = ExportHolds()
        let registry = MetricRegistry()
        let worker = worker(ScriptedExporter(failing: [HTTPExportError.rejected]), Self.fastRetries(), registry)
        let hold = DurabilityHold(holds: holds, tag: 7)
        await worker.offer(chunks: [[Spans.make(spanID: 1)]], hold: hold)
        await worker.offer(chunks: [[Spans.make(spanID: 2)]], hold: DurabilityHold(holds: holds, tag: 9))
        #expect(holds.lowest == 7)
        let first = await worker.sendingQueue!.take()!
        await worker.send(first)  // rejected: dropped, and the records are released
        #expect(holds.lowest == 9)
        await worker.send(await worker.sendingQueue!.take()!)
        #expect(holds.lowest == nil)
    }
}
