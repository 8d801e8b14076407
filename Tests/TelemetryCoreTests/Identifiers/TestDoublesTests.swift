import TelemetryCore
import TelemetryTesting
import Testing

@Suite struct TestDoublesTests {
    @Test func sequentialIDsCountFromOne() {
        let generator = SequentialIDGenerator()
        #expect(generator.nextTraceID() == TraceID(high: 0, low: 1))
        #expect(generator.nextTraceID() == TraceID(high: 0, low: 2))
        #expect(generator.nextSpanID() == SpanID(1))
    }

    @Test func testClockWakesSleepersOnlyWhenAdvancedPastTheirDeadline() async throws {
        let clock = TestClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        await clock.waitForSleepers()
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == TestClock.Instant(offset: .seconds(10)))
    }

    @Test func testClockSleepIsCancellable() async {
        let clock = TestClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        await clock.waitForSleepers()
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}
