import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("sampling")
struct SamplingTests {
    @Test("probabilistic sampling keeps exactly the traces whose randomness clears the threshold and records th")
    func probabilisticKeepsConsistently() {
        let sampler = ProbabilisticSampler(configuration: .init(samplingPercentage: 25))
        let threshold = SamplingThreshold(probability: 0.25)!
        let spans = (0..<400).map { i in Spans.make(traceLow: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, spanID: UInt64(i + 1)) }
        let kept = sampler.process(spans, now: 0)
        let expected = spans.filter { threshold.shouldSample(randomness: $0.traceID.low) }
        #expect(kept.map(\.spanID) == expected.map(\.spanID))
        #expect(kept.count > 50 && kept.count < 150)
        #expect(kept.allSatisfy { abs($0.adjustedCount - 4) < 1e-9 })
        #expect(kept.first?.traceState["ot"] == "th:c")
    }

    @Test("a span sampled upstream at a lower rate keeps its stricter threshold")
    func keepsStricterUpstreamThreshold() {
        let sampler = ProbabilisticSampler(configuration: .init(samplingPercentage: 50))
        let upstream = Spans.sampled(at: 0.1)
        let span = Spans.make(traceLow: 0x00FF_FFFF_FFFF_FFFF, traceState: upstream)
        let kept = sampler.process([span], now: 0)
        #expect(kept.count == 1)
        // th carries limited precision, so 10% comes back as very nearly 10.
        #expect(abs((kept.first?.adjustedCount ?? 0) - 10) < 1e-3)
    }

    @Test("tail sampling keeps error and slow traces after decision_wait, drops the rest")
    func tailSampling() {
        let wait: UInt64 = 5_000_000_000
        let processor = TailSamplingProcessor(
            configuration: .init(decisionWait: .seconds(5), numTraces: 100, policies: [.errors, .latency(.milliseconds(500))]))
        let spans = [
            Spans.make(traceLow: 1, spanID: 1),
            Spans.make(traceLow: 1, spanID: 2, parent: 1, status: .error(description: nil)),
            Spans.make(traceLow: 2, spanID: 3, durationMillis: 800),
            Spans.make(traceLow: 3, spanID: 4, durationMillis: 20),
        ]
        #expect(processor.process(spans, now: 0).isEmpty)
        #expect(processor.tick(now: wait - 1).isEmpty)
        let released = processor.tick(now: wait)
        #expect(Set(released.map(\.spanID.rawValue)) == [1, 2, 3])
        // A late span of a kept trace follows the decision; of a dropped one, too.
        #expect(processor.process([Spans.make(traceLow: 1, spanID: 9)], now: wait + 1).count == 1)
        #expect(processor.process([Spans.make(traceLow: 3, spanID: 10)], now: wait + 1).isEmpty)
    }

    @Test("tail sampling releases held traces on drain")
    func tailSamplingDrains() {
        let processor = TailSamplingProcessor(configuration: .init(decisionWait: .seconds(30), numTraces: 100, policies: [.always]))
        _ = processor.process([Spans.make(traceLow: 7)], now: 0)
        #expect(processor.drain().count == 1)
    }

    @Test("batch sends when full and after the timeout, and drains the rest")
    func batching() {
        let batch = BatchProcessor(configuration: .init(sendBatchSize: 3, sendBatchMaxSize: 0, timeout: .milliseconds(200)))
        #expect(batch.process([Spans.make(spanID: 1), Spans.make(spanID: 2)], now: 0).isEmpty)
        #expect(batch.process([Spans.make(spanID: 3), Spans.make(spanID: 4)], now: 1).count == 4)
        #expect(batch.process([Spans.make(spanID: 5)], now: 10).isEmpty)
        #expect(batch.tick(now: 10 + 199_999_999).isEmpty)
        #expect(batch.tick(now: 10 + 200_000_000).count == 1)
        _ = batch.process([Spans.make(spanID: 6)], now: 500_000_000)
        #expect(batch.drain().count == 1)
    }

    @Test("attributes insert, update, delete and hash (SHA-256 hex)")
    func attributes() {
        let processor = AttributesProcessor(
            configuration: .init(actions: [
                .init(key: "env", kind: .insert, value: "prod"),
                .init(key: "http.route", kind: .update, value: "/redacted"),
                .init(key: "password", kind: .delete),
                .init(key: "user.email", kind: .hash),
            ]))
        let span = Spans.make(attributes: ["password": "hunter2", "user.email": "abc", "http.route": "/users/42"])
        let out = processor.process([span], now: 0)[0]
        #expect(out.attributes["env"] == "prod")
        #expect(out.attributes["http.route"] == "/redacted")
        #expect(out.attributes["password"] == nil)
        #expect(out.attributes["user.email"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
