import CircuitBreakers
import TelemetryTesting
import Testing

/// gobreaker's edge cases: generations, interval resets, exclusions.
@Suite struct GenerationTests {
    @Test func intervalClearsClosedCountsAndStartsANewGeneration() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30)), clock: clock)
        breaker.fail(5)
        let generation = breaker.status().generation
        clock.advance(by: .seconds(30))
        #expect(breaker.counts.consecutiveFailures == 5, "at the interval's last instant nothing is cleared yet")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts())
        #expect(breaker.status().generation == generation + 1)
        #expect(breaker.state == .closed)
        breaker.fail(5)
        #expect(breaker.state == .closed, "failures before the reset do not add up with later ones")
    }

    @Test func intervalZeroNeverClears() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.fail(3)
        clock.advance(by: .seconds(86_400))
        #expect(breaker.counts.consecutiveFailures == 3)
    }

    @Test func resultFromBeforeAnIntervalResetIsIgnored() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(10)), clock: clock)
        let permit = try breaker.allow()
        clock.advance(past: .seconds(10))
        permit.failed()
        #expect(breaker.counts == Counts())
    }

    @Test func resultFromAnEarlierStateIsIgnored() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 2), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        let slow = try breaker.allow()
        let fast = try breaker.allow()
        fast.failed()
        #expect(breaker.state == .open)
        slow.succeeded()
        #expect(breaker.state == .open, "a half-open success must not count in the open generation")
        #expect(breaker.counts == Counts())
    }

    @Test func closedResultAfterTripIsIgnored() throws {
        let breaker = makeBreaker()
        let inFlight = try breaker.allow()
        breaker.fail(6)
        #expect(breaker.state == .open)
        inFlight.succeeded()
        #expect(breaker.state == .open)
        #expect(breaker.counts == Counts())
    }

    @Test func excludedErrorsCountOnlyAsExclusions() throws {
        let breaker = makeBreaker()
        breaker.fail(5)
        _ = try? breaker.execute { () throws -> Int in throw CancellationError() }
        #expect(breaker.counts == Counts(requests: 6, totalFailures: 5, totalExclusions: 1, consecutiveFailures: 5))
        breaker.fail()
        #expect(breaker.state == .open, "an excluded error does not break a run of failures")
    }

    @Test func excludedProbeFreesItsHalfOpenSlot() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(isExcluded: { $0 is Boom }), clock: clock)
        breaker.fail(6)
        #expect(breaker.state == .closed, "Boom is excluded here")
        let tripping = makeBreaker(
            CircuitBreaker.Configuration(readyToTrip: { $0.consecutiveFailures >= 1 }, isExcluded: { $0 is CancellationError }),
            clock: clock
        )
        tripping.fail()
        clock.advance(past: .seconds(60))
        let probe = try tripping.allow()
        #expect(tripping.rejection()?.isTooManyRequests == true)
        probe.failed(with: CancellationError())
        #expect(tripping.state == .halfOpen)
        #expect(tripping.counts == Counts(requests: 1, totalExclusions: 1))
        tripping.succeed()
        #expect(tripping.state == .closed)
    }

    @Test func isExcludedTakesPrecedenceOverIsSuccessful() {
        let breaker = makeBreaker(CircuitBreaker.Configuration(isSuccessful: { _ in true }, isExcluded: { $0 is Boom }))
        breaker.fail(3)
        #expect(breaker.counts == Counts(requests: 3, totalExclusions: 3))
    }

    @Test func everyStateChangeIncrementsTheGeneration() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        #expect(breaker.status().generation == 0)
        breaker.fail(6)
        #expect(breaker.status().generation == 1)
        clock.advance(past: .seconds(60))
        #expect(breaker.status().generation == 2)
        breaker.succeed()
        #expect(breaker.status().generation == 3)
    }
}
