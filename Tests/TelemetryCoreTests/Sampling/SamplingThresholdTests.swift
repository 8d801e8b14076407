import Testing

@testable import TelemetryCore

@Suite struct SamplingThresholdTests {
    @Test(arguments: [(0.5, "8"), (0.25, "c"), (1.0, "0")])
    func thresholdEncodesAsSpecExamples(probability: Double, th: String) throws {
        let threshold = try #require(SamplingThreshold(probability: probability))
        #expect(threshold.thValue == th)
        #expect(SamplingThreshold(thValue: th) == threshold)
    }

    @Test func adjustedCountReadsFromTraceState() throws {
        var state = TraceState()
        state.set("ot", "th:c")
        let span = TelemetrySpanData(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), traceState: state, name: "x", startTimeNanos: 0, endTimeNanos: 1)
        #expect(span.adjustedCount == 4)
        var plain = span
        plain.traceState = TraceState()
        #expect(plain.adjustedCount == 1)
    }

    @Test func rejectsOutOfRange() {
        #expect(SamplingThreshold(probability: 0) == nil)
        #expect(SamplingThreshold(probability: 1.5) == nil)
        #expect(SamplingThreshold(thValue: "") == nil)
        #expect(SamplingThreshold(thValue: "123456789abcdef") == nil)
        #expect(SamplingThreshold(thValue: "xyz") == nil)
    }
}

@Suite struct SamplingThresholdPrecisionTests {
    @Test(arguments: [(0.5, "8"), (0.25, "c"), (0.01, "fd70a"), (0.1, "e666"), (1.0, "0"), (0.75, "4")])
    func specExamples(probability: Double, th: String) throws {
        let threshold = try #require(SamplingThreshold(probability: probability))
        #expect(threshold.thValue == th)
    }

    @Test func fullPrecisionKeepsAllFourteenDigits() throws {
        let threshold = try #require(SamplingThreshold(probability: 0.01, precision: 14))
        #expect(threshold.thValue == "fd70a3d70a3d71")
    }

    @Test func tinyProbabilitiesGainDigits() throws {
        // 2^-20: the threshold is fffff0... and needs 5 extra digits to stay accurate.
        let threshold = try #require(SamplingThreshold(probability: 1.0 / 1_048_576))
        #expect(threshold.thValue.hasPrefix("fffff"))
        #expect(abs(threshold.probability * 1_048_576 - 1) < 0.01)
    }

    @Test func roundedProbabilityStaysClose() throws {
        for probability in stride(from: 0.05, through: 0.95, by: 0.05) {
            let threshold = try #require(SamplingThreshold(probability: probability))
            #expect(abs(threshold.probability - probability) < 1e-4, "p=\(probability)")
        }
    }
}
