import CircuitBreakers
import TelemetryTesting
import Testing

/// Every edge of the state table: closed → open, open → half-open, half-open → closed,
/// half-open → open, and the non-transitions next to them.
@Suite struct StateTransitionTests {
    @Test func closedStaysClosedUpToFiveConsecutiveFailures() {
        let breaker = makeBreaker()
        breaker.fail(5)
        #expect(breaker.state == .closed)
        #expect(breaker.counts == Counts(requests: 5, totalFailures: 5, consecutiveFailures: 5))
    }

    @Test func closedTripsOnTheSixthConsecutiveFailure() {
        let breaker = makeBreaker()
        breaker.fail(6)
        #expect(breaker.state == .open)
        #expect(breaker.counts == Counts(), "a new generation starts with zero counts")
    }

    @Test func successInBetweenResetsTheConsecutiveCount() {
        let breaker = makeBreaker()
        breaker.fail(5)
        breaker.succeed()
        breaker.fail(5)
        #expect(breaker.state == .closed)
        #expect(breaker.counts.totalFailures == 10)
        #expect(breaker.counts.consecutiveFailures == 5)
        #expect(breaker.counts.consecutiveSuccesses == 0)
    }

    @Test func openRejectsWithTimeUntilNextProbe() throws {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.fail(6)
        clock.advance(by: .seconds(20))
        var ran = false
        let rejection = try #require(breaker.rejectionRunning { ran = true })
        #expect(!ran, "a rejected request must not run")
        #expect(rejection.state == .open)
        #expect(rejection.retryAfter == .seconds(40))
        #expect(rejection == .open(breakerName: "user-service", retryAfter: .zero))
    }

    @Test func openBecomesHalfOpenOnceTheTimeoutHasElapsed() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.fail(6)
        clock.advance(by: .seconds(60))
        #expect(breaker.state == .open, "due strictly after the open duration, as in gobreaker")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.state == .halfOpen)
    }

    @Test func halfOpenClosesAfterMaxRequestsConsecutiveSuccesses() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 3), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        breaker.succeed(2)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.counts.consecutiveSuccesses == 2)
        breaker.succeed()
        #expect(breaker.state == .closed)
        #expect(breaker.counts == Counts())
    }

    @Test func halfOpenReopensOnAFailure() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 3), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        breaker.succeed(2)
        breaker.fail()
        #expect(breaker.state == .open)
        #expect(breaker.status().nextProbeSeconds == 60)
    }

    @Test func halfOpenAdmitsOnlyMaxRequestsInFlight() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 2), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        let first = try breaker.allow()
        let second = try breaker.allow()
        let rejection = try #require(breaker.rejection())
        #expect(rejection.isTooManyRequests)
        #expect(rejection.state == .halfOpen)
        #expect(rejection.retryAfter == nil)
        first.succeeded()
        second.succeeded()
        #expect(breaker.state == .closed)
    }

    @Test func zeroMaxRequestsBehavesAsOne() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 0), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        let probe = try breaker.allow()
        #expect(breaker.rejection()?.isTooManyRequests == true)
        probe.succeeded()
        #expect(breaker.state == .closed)
    }

    @Test func customReadyToTripAndTimeout() {
        let clock = TestClock()
        let configuration = CircuitBreaker.Configuration(
            timeout: .seconds(5),
            readyToTrip: { $0.requests >= 3 && Double($0.totalFailures) / Double($0.requests) >= 0.6 }
        )
        let breaker = makeBreaker(configuration, clock: clock)
        breaker.succeed()
        breaker.fail()
        #expect(breaker.state == .closed)
        breaker.fail()
        #expect(breaker.state == .open)
        clock.advance(past: .seconds(5))
        #expect(breaker.state == .halfOpen)
    }

    @Test func nonPositiveTimeoutMeansSixtySeconds() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(timeout: .zero), clock: clock)
        breaker.fail(6)
        clock.advance(by: .seconds(60))
        #expect(breaker.state == .open)
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.state == .halfOpen)
    }

    @Test func isSuccessfulTurnsAnErrorIntoASuccess() {
        let breaker = makeBreaker(CircuitBreaker.Configuration(isSuccessful: { $0 is Boom }))
        breaker.fail(10)
        #expect(breaker.state == .closed)
        #expect(breaker.counts.totalSuccesses == 10)
        #expect(breaker.counts.totalFailures == 0)
    }

    @Test func executeReturnsTheValueAndRethrowsTheError() throws {
        let breaker = makeBreaker()
        #expect(try breaker.execute { "value" } == "value")
        #expect(throws: Boom.self) { try breaker.execute { () throws -> Int in throw Boom() } }
    }

    @Test func asyncExecuteCountsLikeSync() async throws {
        let breaker = makeBreaker()
        let value = try await breaker.execute { () async throws -> Int in
            await Task.yield()
            return 7
        }
        #expect(value == 7)
        for _ in 0..<6 {
            _ = try? await breaker.execute { () async throws -> Int in throw Boom() }
        }
        #expect(breaker.state == .open)
        await #expect(throws: CircuitBreakerRejectedError.self) {
            try await breaker.execute { () async throws -> Int in 1 }
        }
    }

    @Test func stateChangeCallbackSeesEveryTransitionOutsideTheLock() {
        let clock = TestClock()
        let log = TransitionLog()
        let breakerBox = BreakerBox()
        let configuration = CircuitBreaker.Configuration(onStateChange: { name, from, to in
            // Reading the state here would deadlock if the callback ran under the lock.
            log.append("\(name):\(from)->\(to):\(breakerBox.breaker?.state.rawValue ?? "?")")
        })
        let breaker = makeBreaker(configuration, clock: clock)
        breakerBox.breaker = breaker
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        breaker.succeed()
        #expect(
            log.entries == [
                "user-service:CLOSED->OPEN:OPEN",
                "user-service:OPEN->HALF_OPEN:HALF_OPEN",
                "user-service:HALF_OPEN->CLOSED:CLOSED",
            ]
        )
    }
}

extension CircuitBreaker {
    func rejectionRunning(_ body: () -> Void) -> CircuitBreakerRejectedError? {
        do {
            try execute(body)
            return nil
        } catch {
            return error as? CircuitBreakerRejectedError
        }
    }
}
