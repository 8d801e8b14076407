import Testing

@testable import TelemetryCore

@Suite struct TraceIDRatioSamplerTests {
    private func parameters(_ traceID: TraceID, parent: SpanContext? = nil) -> SamplingParameters {
        SamplingParameters(parent: parent, traceID: traceID, name: "op", kind: .internal)
    }

    @Test func tenPercentOfRandomTracesWithinThreeSigma() {
        let sampler = TraceIDRatioSampler(probability: 0.1)
        let generator = RandomIDGenerator(seed: 0x5EED)
        let n = 100_000
        var sampled = 0
        for _ in 0..<n where sampler.shouldSample(parameters(generator.nextTraceID())).decision == .recordAndSample {
            sampled += 1
        }
        // The threshold is rounded to 4 hex digits; use the probability it really encodes.
        let p = sampler.threshold.probability
        let sigma = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(Double(sampled) - Double(n) * p) <= 3 * sigma, "sampled \(sampled) of \(n)")
        #expect(abs(p - 0.1) < 1e-4)
    }

    @Test func sampledSpansCarryThresholdInTraceState() {
        let sampler = TraceIDRatioSampler(probability: 0.25)
        // Low 56 bits at the very top of the range: always kept for any p > 0.
        let result = sampler.shouldSample(parameters(TraceID(high: 1, low: 0x00FF_FFFF_FFFF_FFFF)))
        #expect(result.decision == .recordAndSample)
        #expect(result.traceState["ot"] == "th:c")
        #expect(SamplingThreshold(traceState: result.traceState)?.adjustedCount == 4)
    }

    @Test func decisionFollowsLow56BitsAgainstThreshold() {
        let sampler = TraceIDRatioSampler(probability: 0.5)
        // Threshold 0x80000000000000: randomness below it is dropped, at or above kept.
        #expect(sampler.shouldSample(parameters(TraceID(high: 9, low: 0x007F_FFFF_FFFF_FFFF))).decision == .drop)
        #expect(sampler.shouldSample(parameters(TraceID(high: 9, low: 0x0080_0000_0000_0000))).decision == .recordAndSample)
        // The top byte of the low half is not randomness and must not matter.
        #expect(sampler.shouldSample(parameters(TraceID(high: 9, low: 0xFF7F_FFFF_FFFF_FFFF))).decision == .drop)
    }

    @Test func consistentAcrossProbabilities() {
        // A trace kept at a lower probability is kept at every higher one.
        let generator = RandomIDGenerator(seed: 42)
        let low = TraceIDRatioSampler(probability: 0.1)
        let high = TraceIDRatioSampler(probability: 0.5)
        for _ in 0..<10_000 {
            let id = generator.nextTraceID()
            if low.shouldSample(parameters(id)).decision == .recordAndSample {
                #expect(high.shouldSample(parameters(id)).decision == .recordAndSample)
            }
        }
    }

    @Test func explicitRandomnessInTraceStateWins() {
        var state = TraceState()
        state.set("ot", "rv:ffffffffffffff")
        let parent = SpanContext(traceID: TraceID(high: 1, low: 0), spanID: SpanID(1), traceFlags: [], traceState: state)
        let result = TraceIDRatioSampler(probability: 0.01).shouldSample(parameters(TraceID(high: 1, low: 0), parent: parent))
        #expect(result.decision == .recordAndSample)
        #expect(result.traceState["ot"] == "th:fd70a;rv:ffffffffffffff")
    }

    @Test func zeroAndOne() {
        let id = TraceID(high: 1, low: 0x00FF_FFFF_FFFF_FFFF)
        #expect(TraceIDRatioSampler(probability: 0).shouldSample(parameters(id)).decision == .drop)
        let all = TraceIDRatioSampler(probability: 1).shouldSample(parameters(TraceID(high: 1, low: 0)))
        #expect(all.decision == .recordAndSample)
        #expect(all.traceState["ot"] == "th:0")
    }
}

@Suite struct ParentBasedSamplerTests {
    private let traceID = TraceID(high: 7, low: 7)

    private func parent(remote: Bool, sampled: Bool) -> SpanContext {
        SpanContext(traceID: traceID, spanID: SpanID(3), traceFlags: sampled ? .sampled : [], isRemote: remote)
    }

    private func decide(_ sampler: any Sampler, parent: SpanContext?) -> SamplingDecision {
        sampler.shouldSample(SamplingParameters(parent: parent, traceID: traceID, name: "op", kind: .server)).decision
    }

    @Test func childOfSampledParentAlwaysSampledAndOfUnsampledNever() {
        // A root sampler that keeps nothing: the parent's decision must still win.
        let sampler = ParentBasedSampler(root: TraceIDRatioSampler(probability: 0.1))
        let generator = RandomIDGenerator(seed: 7)
        for _ in 0..<1000 {
            let id = generator.nextTraceID()
            for remote in [true, false] {
                let sampled = SpanContext(traceID: id, spanID: SpanID(1), traceFlags: .sampled, isRemote: remote)
                let unsampled = SpanContext(traceID: id, spanID: SpanID(1), traceFlags: [], isRemote: remote)
                let params = { (parent: SpanContext) in SamplingParameters(parent: parent, traceID: id, name: "c", kind: .internal) }
                #expect(sampler.shouldSample(params(sampled)).decision == .recordAndSample)
                #expect(sampler.shouldSample(params(unsampled)).decision == .drop)
            }
        }
    }

    @Test func rootUsesRootSampler() {
        #expect(decide(ParentBasedSampler(root: AlwaysOffSampler()), parent: nil) == .drop)
        #expect(decide(ParentBasedSampler(root: AlwaysOnSampler()), parent: nil) == .recordAndSample)
    }

    @Test func eachOfTheFiveDelegatesIsConsulted() {
        let on = AlwaysOnSampler()
        let off = AlwaysOffSampler()
        // Invert every default so each delegate's effect is visible.
        let sampler = ParentBasedSampler(
            root: off,
            remoteParentSampled: off,
            remoteParentNotSampled: on,
            localParentSampled: off,
            localParentNotSampled: on
        )
        #expect(decide(sampler, parent: nil) == .drop)
        #expect(decide(sampler, parent: parent(remote: true, sampled: true)) == .drop)
        #expect(decide(sampler, parent: parent(remote: true, sampled: false)) == .recordAndSample)
        #expect(decide(sampler, parent: parent(remote: false, sampled: true)) == .drop)
        #expect(decide(sampler, parent: parent(remote: false, sampled: false)) == .recordAndSample)
    }

    @Test func keepsParentTraceState() {
        var state = TraceState()
        state.set("ot", "th:c")
        let parent = SpanContext(traceID: traceID, spanID: SpanID(3), traceFlags: .sampled, traceState: state, isRemote: true)
        let result = ParentBasedSampler(root: AlwaysOffSampler())
            .shouldSample(SamplingParameters(parent: parent, traceID: traceID, name: "x", kind: .client))
        #expect(result.traceState["ot"] == "th:c")
    }
}
