import CircuitBreakers
import TelemetryTesting
import Testing

@Suite struct ManualControlTests {
    @Test func forceOpenProbesAfterTheTimeout() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.forceOpen()
        #expect(breaker.state == .open)
        #expect(breaker.rejection()?.retryAfter == .seconds(60))
        clock.advance(by: .seconds(60))
        #expect(breaker.state == .open, "due strictly after the open duration, as in gobreaker")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.state == .halfOpen)
    }

    @Test func isolateStaysOpenUntilReset() throws {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.isolate()
        clock.advance(by: .seconds(3600))
        #expect(breaker.state == .open)
        let rejection = try #require(breaker.rejection())
        #expect(rejection.isIsolated)
        #expect(rejection.retryAfter == nil)
        #expect(breaker.status().isolated)
        #expect(breaker.status().nextProbeSeconds == nil)
        breaker.reset()
        #expect(breaker.state == .closed)
        #expect(breaker.rejection() == nil)
    }

    @Test func resetClosesAndClearsCounts() {
        let breaker = makeBreaker()
        breaker.fail(6)
        breaker.reset()
        #expect(breaker.state == .closed)
        #expect(breaker.counts == Counts())
        breaker.fail(3)
        breaker.reset()
        #expect(breaker.counts == Counts(), "reset in the closed state clears counts too")
    }

    @Test func timeInStateAndNextProbeFollowTheClock() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.fail(6)
        clock.advance(by: .seconds(15))
        let status = breaker.status()
        #expect(status.state == .open)
        #expect(status.timeInStateSeconds == 15)
        #expect(status.nextProbeSeconds == 45)
    }
}
