import Logging
import Synchronization
import TelemetryCore
import Testing

@testable import TelemetryPipeline

/// A sending queue hands requests to idle consumers as spans, and holds the ones that wait in
/// the exporter's wire form.
@Suite(.timeLimit(.minutes(1))) struct SendingQueueEncodingTests {
    /// Encodes a batch as its span IDs' low bytes, and records which path each export took.
    final class ByteExporter: WireEncodingSpanExporter, Sendable {
        let spanExports = Mutex<[[UInt64]]>([])
        let encodedExports = Mutex<[[UInt8]]>([])

        func export(_ batch: [TelemetrySpanData]) async throws {
            spanExports.withLock { $0.append(batch.map(\.spanID.rawValue)) }
        }

        func encode(_ batch: [TelemetrySpanData]) -> EncodedSpanBatch {
            EncodedSpanBatch(bodies: [.init(bytes: batch.map { UInt8(truncatingIfNeeded: $0.spanID.rawValue) }, spanCount: batch.count)])
        }

        func export(encoded batch: EncodedSpanBatch) async throws {
            encodedExports.withLock { $0 += batch.bodies.map(\.bytes) }
        }
    }

    static func spans(_ ids: ClosedRange<UInt64>) -> [TelemetrySpanData] { ids.map { Spans.make(spanID: $0) } }

    @Test func aWaitingRequestIsHeldEncodedAndSentAsEncoded() async throws {
        let exporter = ByteExporter()
        let registry = MetricRegistry()
        let worker = ExporterWorker(
            id: ComponentID("otlphttp"), exporter: exporter, delivery: DeliverySettings(), capacity: 100,
            metrics: SelfMetrics(registry: registry), logger: Logger(label: "test"))
        // Not running: no consumer waits, so both requests queue.
        await worker.offer(chunks: [Self.spans(1...600)])
        await worker.offer(chunks: [Self.spans(601...1200)])
        let queue = try #require(worker.sendingQueue)
        #expect(queue.size.requests == 2)
        #expect(queue.size.spans == 1200)
        let first = try #require(await queue.take())
        guard case .encoded(let bodies, _) = first.payload else {
            Issue.record("a queued request kept its spans")
            return
        }
        #expect(bodies.spanCount == 600)
        #expect(bodies.bodies.map(\.bytes) == [(1...600).map { UInt8(truncatingIfNeeded: $0) }])
        await worker.send(first)
        #expect(exporter.encodedExports.withLock { $0.count } == 1)
        #expect(exporter.spanExports.withLock { $0.isEmpty })
        #expect(registry.lookup("pipeline_exporter_sent_spans_total")?.value(["otlphttp"]) == 600)
        #expect(queue.size.spans == 600)
    }

    @Test func aRequestForAnIdleConsumerKeepsItsSpans() async throws {
        let queue = SendingQueue(capacity: 4, encoder: ByteExporter())
        let consumer = Task { await queue.take() }
        for _ in 0..<400 where queue.idleConsumers == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try #require(queue.idleConsumers == 1)
        #expect(queue.offer(.init(spans: Self.spans(1...3))))
        let request = try #require(await consumer.value)
        guard case .spans(let spans) = request.payload else {
            Issue.record("a request handed to an idle consumer was encoded")
            return
        }
        #expect(spans.map(\.spanID.rawValue) == [1, 2, 3])
    }

    @Test func withoutAnEncoderAWaitingRequestKeepsItsSpans() async throws {
        let queue = SendingQueue(capacity: 4)
        #expect(queue.offer(.init(spans: Self.spans(1...3))))
        let request = try #require(await queue.take())
        guard case .spans(let spans) = request.payload else {
            Issue.record("a queue without an encoder encoded a request")
            return
        }
        #expect(spans.count == 3)
    }

    @Test func aFullQueueRefusesWithoutEncoding() {
        let exporter = ByteExporter()
        let queue = SendingQueue(capacity: 1, encoder: exporter)
        #expect(queue.offer(.init(spans: Self.spans(1...2))))
        #expect(!queue.offer(.init(spans: Self.spans(3...4))))
        #expect(queue.size.spans == 2)
    }
}
