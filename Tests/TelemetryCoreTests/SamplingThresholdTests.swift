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
        let span = SpanData(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), traceState: state, name: "x", startTimeNanos: 0, endTimeNanos: 1)
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
