import Testing

@testable import TelemetryCore

@Suite struct RandomIDGeneratorTests {
    @Test func idsAreNonZeroAndUnique() {
        let generator = RandomIDGenerator()
        var traces = Set<TraceID>()
        var spans = Set<SpanID>()
        for _ in 0..<20_000 {
            let trace = generator.nextTraceID()
            let span = generator.nextSpanID()
            #expect(trace.isValid)
            #expect(span.isValid)
            traces.insert(trace)
            spans.insert(span)
        }
        #expect(traces.count == 20_000)
        #expect(spans.count == 20_000)
    }

    @Test func seededGeneratorsRepeat() {
        let a = RandomIDGenerator(seed: 99)
        let b = RandomIDGenerator(seed: 99)
        #expect(a.nextTraceID() == b.nextTraceID())
        #expect(RandomIDGenerator(seed: 1).nextSpanID() != RandomIDGenerator(seed: 2).nextSpanID())
    }

    @Test func low56BitsLookUniform() {
        // Mean of a uniform 56-bit value is 2^55; over 50 000 draws the standard error is
        // about 2^56 / sqrt(12 * 50 000) ~ 0.13% of 2^56, so 1% is a wide margin.
        let generator = RandomIDGenerator(seed: 123)
        let n = 50_000
        var sum = 0.0
        var topBitSet = 0
        for _ in 0..<n {
            let randomness = generator.nextTraceID().low & 0x00FF_FFFF_FFFF_FFFF
            sum += Double(randomness) / Double(1 << 56)
            if randomness >> 55 == 1 { topBitSet += 1 }
        }
        #expect(abs(sum / Double(n) - 0.5) < 0.01)
        #expect(abs(Double(topBitSet) / Double(n) - 0.5) < 0.01)
    }

    @Test func concurrentUseIsSafe() async {
        let generator = RandomIDGenerator()
        let all = await withTaskGroup(of: [SpanID].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<2000).map { _ in generator.nextSpanID() } }
            }
            var all: [SpanID] = []
            for await ids in group { all += ids }
            return all
        }
        #expect(Set(all).count == 16_000)
    }
}
