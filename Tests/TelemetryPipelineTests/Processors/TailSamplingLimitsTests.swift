import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("tail sampling limits")
struct TailSamplingLimitsTests {
    static func span(trace: UInt64, spanID: UInt64 = 1, padding: Int = 0) -> TelemetrySpanData {
        Spans.make(traceLow: trace, spanID: spanID, attributes: padding > 0 ? ["payload": .string(String(repeating: "x", count: padding))] : [:])
    }

    @Test("past num_traces the oldest traces are decided early and counted")
    func traceCountBound() {
        let registry = MetricRegistry()
        let processor = TailSamplingProcessor(
            configuration: .init(decisionWait: .seconds(30), numTraces: 10, policies: [.always]), registry: registry)
        let released = processor.process((1...25).map { Self.span(trace: $0) }, now: 0)
        #expect(released.map(\.traceID.low) == Array(1...15))
        #expect(processor.held.traces == 10)
        #expect(registry.lookup("pipeline_tail_sampling_early_decisions_total")?.value(["num_traces"]) == 15)
    }

    @Test("a large resource per span counts toward max_bytes: one span per request cannot slip past it")
    func resourcesCountTowardBytes() {
        var configuration = TailSamplingProcessor.Configuration(decisionWait: .seconds(30), numTraces: 1_000, policies: [.always])
        configuration.maxBytes = 100_000
        let processor = TailSamplingProcessor(configuration: configuration, registry: MetricRegistry())
        // Each span from its own request, with its own 10 kB resource attribute.
        let spans = (1...50).map { trace in
            var span = Self.span(trace: UInt64(trace))
            span.resource = TelemetryResource(attributes: [
                "service.name": "user-service", "host.notes": .string(String(repeating: "r", count: 10_000)),
            ])
            return span
        }
        let released = processor.process(spans, now: 0)
        #expect(processor.held.bytes <= 100_000)
        #expect(released.count >= 40)
    }

    @Test("past max_bytes the oldest traces are decided early and counted, and the held bytes return to zero when drained")
    func byteBound() {
        let registry = MetricRegistry()
        var configuration = TailSamplingProcessor.Configuration(decisionWait: .seconds(30), numTraces: 1_000, policies: [.always])
        configuration.maxBytes = 100_000
        let processor = TailSamplingProcessor(configuration: configuration, registry: registry)
        let released = processor.process((1...50).map { Self.span(trace: $0, padding: 10_000) }, now: 0)
        let held = processor.held
        #expect(held.bytes <= 100_000)
        #expect(held.traces + released.count == 50)
        #expect(released.first?.traceID.low == 1)
        let early = registry.lookup("pipeline_tail_sampling_early_decisions_total")?.value(["max_bytes"]) ?? 0
        #expect(early == Double(released.count))
        #expect(early >= 40)
        _ = processor.drain()
        #expect(processor.held.traces == 0)
        #expect(processor.held.bytes == 0)
    }

    @Test("remembered decisions are bounded by decision_cache, and late spans still follow a remembered decision")
    func decisionCacheBound() {
        var configuration = TailSamplingProcessor.Configuration(decisionWait: .seconds(1), numTraces: 1_000, policies: [.always])
        configuration.sampledCacheSize = 5
        configuration.nonSampledCacheSize = 3
        let processor = TailSamplingProcessor(configuration: configuration)
        _ = processor.process((1...20).map { Self.span(trace: $0) }, now: 0)
        _ = processor.tick(now: 2_000_000_000)
        #expect(processor.rememberedDecisions.sampled == 5)
        // Trace 20 was decided last, so it is remembered and its late span passes at once.
        #expect(processor.process([Self.span(trace: 20, spanID: 2)], now: 2_000_000_001).count == 1)
        // Trace 1 was forgotten, so its late span is held as a new trace.
        #expect(processor.process([Self.span(trace: 1, spanID: 2)], now: 2_000_000_002).isEmpty)
        #expect(processor.held.traces == 1)

        let dropping = TailSamplingProcessor(configuration: .init(decisionWait: .seconds(1), numTraces: 1_000, nonSampledCacheSize: 3, policies: [.errors]))
        _ = dropping.process((1...20).map { Self.span(trace: $0) }, now: 0)
        _ = dropping.tick(now: 2_000_000_000)
        #expect(dropping.rememberedDecisions.notSampled == 3)
    }

    @Test("the arrival order stays correct across its compaction")
    func arrivalOrderCompacts() {
        var order = TraceArrivalOrder()
        for low in 1...5_000 as ClosedRange<UInt64> { order.append(TraceID(high: 0, low: low)) }
        for low in 1...3_000 as ClosedRange<UInt64> { #expect(order.removeFirst()?.low == low) }
        order.append(TraceID(high: 0, low: 9_999))
        #expect(order.first?.low == 3_001)
        #expect(order.removeAll().count == 2_001)
        #expect(order.isEmpty)
    }
}
