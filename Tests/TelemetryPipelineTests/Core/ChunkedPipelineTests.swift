import ErrorAggregation
import Logging
import TelemetryCore
import TelemetryTesting
import Testing

@testable import TelemetryPipeline

@Suite("spans move through the pipeline as the batches receivers delivered", .timeLimit(.minutes(1)))
struct ChunkedPipelineTests {
    static func chunk(_ range: ClosedRange<UInt64>, service: String = "user-service") -> [TelemetrySpanData] {
        let resource = TelemetryResource(attributes: ["service.name": .string(service), "host.name": "a"])
        return range.map { id in
            var span = Spans.make(
                spanID: id, status: id % 10 == 0 ? .error(description: "HTTP 500") : .unset,
                attributes: ["http.request.method": "GET", "http.route": "/r", "http.response.status_code": id % 10 == 0 ? 500 : 200])
            span.resource = resource
            return span
        }
    }

    @Test("batch holds whole chunks and releases them as they are, splitting one only at send_batch_max_size")
    func batchKeepsChunks() {
        let batch = BatchProcessor(configuration: .init(sendBatchSize: 5, sendBatchMaxSize: 0, timeout: .milliseconds(200)))
        #expect(batch.process(chunks: [Self.chunk(1...3)], now: 0).isEmpty)
        let released = batch.process(chunks: [Self.chunk(4...6), []], now: 1)
        #expect(released.map { $0.map(\.spanID.rawValue) } == [[1, 2, 3], [4, 5, 6]])

        let capped = BatchProcessor(configuration: .init(sendBatchSize: 4, sendBatchMaxSize: 4, timeout: .milliseconds(200)))
        let first = capped.process(chunks: [Self.chunk(1...3), Self.chunk(4...6)], now: 0)
        #expect(first.map { $0.map(\.spanID.rawValue) } == [[1, 2, 3], [4]])
        #expect(capped.tickChunks(now: 199_999_999).isEmpty)
        #expect(capped.tickChunks(now: 200_000_000).map { $0.map(\.spanID.rawValue) } == [[5, 6]])
        _ = capped.process(chunks: [Self.chunk(7...7)], now: 300_000_000)
        #expect(capped.drainChunks().flatMap { $0 }.map(\.spanID.rawValue) == [7])
        #expect(capped.drain().isEmpty)
    }

    @Test("exporter batches: large chunks go whole, small ones merge, oversized ones split")
    func exporterBatches() {
        let batches = ExporterWorker.batches([Self.chunk(1...600), Self.chunk(601...610), Self.chunk(611...620), Self.chunk(621...1700)], maxBatch: 1000)
        #expect(batches.map(\.count) == [600, 20, 1000, 80])
        #expect(batches.flatMap { $0 }.map(\.spanID.rawValue) == Array(1...1700))
    }

    @Test("the service index follows shared resources and tells interleaved services apart")
    func serviceIndex() {
        let a = Self.chunk(1...3, service: "a")
        let b = Self.chunk(4...5, service: "b")
        var other = Spans.make(service: "a", spanID: 9)
        other.resource.attributes["extra"] = "x"
        var index = ServiceIndex()
        let order = [a[0], a[1], b[0], a[2], other, b[1]].map { index.index(of: $0) }
        #expect(order == [0, 0, 1, 0, 0, 1])
        #expect(index.names == ["a", "b"])
    }

    @Test("health sums per batch equal the per-span record, and bucket search matches a linear scan")
    func healthContributions() {
        for seconds in [0, 0.0005, 0.001, 0.00125, 0.0012500001, 0.5, 1, 30, 1e6] + HealthBoard.latencyBounds {
            #expect(HealthBoard.bucket(of: seconds) == (HealthBoard.latencyBounds.firstIndex { seconds <= $0 } ?? HealthBoard.latencyBounds.count))
        }
        let perSpan = HealthBoard(configuration: .default)
        let perBatch = HealthBoard(configuration: .default)
        var contribution = HealthBoard.Contribution()
        for (index, latency) in [0.002, 0.2, 1.5, 0.02, 7.0].enumerated() {
            let isError = index == 1
            perSpan.record(service: "s", weight: 2, isError: isError, latencySeconds: index == 3 ? nil : latency, now: 1_000_000_000)
            contribution.add(weight: 2, isError: isError, latencySeconds: index == 3 ? nil : latency)
        }
        perBatch.record(service: "s", contribution, now: 1_000_000_000)
        #expect(perSpan.evaluate(now: 2_000_000_000, breakers: nil) == perBatch.evaluate(now: 2_000_000_000, breakers: nil))
    }

    @Test("observers see every span once across lanes, and every span reaches the exporter in order")
    func observersInLanes() async throws {
        let registry = MetricRegistry()
        let metrics = SelfMetrics(registry: registry)
        let exporter = InMemorySpanExporter()
        let worker = ExporterWorker(id: ComponentID("debug"), exporter: exporter, capacity: 100_000, metrics: metrics, logger: Logger(label: "test"))
        let health = HealthBoard(configuration: .default)
        let aggregator = ErrorAggregator(configuration: .init(exportsMetrics: false), clock: TestClock())
        let stages: [any SpanProcessorStage] = [
            BatchProcessor(configuration: .init(sendBatchSize: 2000, sendBatchMaxSize: 0, timeout: .milliseconds(200))),
            SpanMetricsProcessor(configuration: .default, registry: registry),
            ErrorsProcessor(classifier: ErrorClassifiers.standard, aggregator: aggregator, registry: registry),
            HealthProcessor(board: health, breakers: BreakerBoard(), registry: registry),
        ]
        let runner = PipelineRunner(
            name: "traces", capacity: 100_000, stages: stages, exporters: [worker], clock: { 5_000_000_000 },
            metrics: metrics, lanes: 2)
        var next: UInt64 = 1
        for (index, size) in [700, 5, 1300, 90, 400, 1, 2500, 30].enumerated() {
            #expect(runner.offer(Self.chunk(next...next + UInt64(size) - 1, service: index % 2 == 0 ? "even" : "odd")))
            next += UInt64(size)
        }
        let total = Int(next - 1)
        let running = Task { await runner.run() }
        let exporting = Task { await worker.run() }
        while exporter.spans.count < total { try await Task.sleep(for: .milliseconds(10)) }
        runner.queue.finish()
        await running.value
        worker.queue.finish()
        await exporting.value

        #expect(exporter.spans.map(\.spanID.rawValue) == Array(1...UInt64(total)))
        let calls = registry.lookup("traces_span_metrics_calls_total")!.snapshot().values.reduce(0) { $0 + $1.value }
        #expect(Int(calls) == total)
        let http = registry.lookup("http_requests_total")!
        #expect((http.value(["even", "GET", "/r", "500"]) ?? 0) + (http.value(["odd", "GET", "/r", "500"]) ?? 0) == Double(total / 10))
        let requestsSeen = health.evaluate(now: 5_000_000_000, breakers: nil).reduce(0) { $0 + $1.requests }
        #expect(Int(requestsSeen) == total)
        let errors = registry.lookup("errors_total")!.snapshot().values.reduce(0) { $0 + $1.value }
        #expect(Int(errors) == total / 10)
    }
}
