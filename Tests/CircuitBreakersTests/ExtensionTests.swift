import CircuitBreakers
import TelemetryTesting
import Testing

/// Options beyond gobreaker: rolling window, slow calls, backoff.
@Suite struct ExtensionTests {
    static let window = CircuitBreaker.RollingWindow(length: .seconds(10), buckets: 10, failureRateThreshold: 0.5, minimumThroughput: 10)

    @Test func rollingWindowTripsOnFailureRate() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(rollingWindow: Self.window), clock: clock)
        for _ in 0..<5 {
            breaker.succeed()
            breaker.fail()
        }
        #expect(breaker.state == .open, "5 failures out of 10 is a 50% failure rate")
    }

    @Test func rollingWindowWaitsForMinimumThroughput() {
        let breaker = makeBreaker(CircuitBreaker.Configuration(rollingWindow: Self.window))
        breaker.fail(5)
        breaker.succeed(3)
        #expect(breaker.state == .closed, "8 calls are below the minimum throughput of 10")
    }

    @Test func rollingWindowForgetsExpiredBuckets() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(rollingWindow: Self.window), clock: clock)
        breaker.fail(5)
        clock.advance(by: .seconds(11))
        breaker.succeed(5)
        breaker.fail(4)
        #expect(breaker.state == .closed, "the first five failures left the window; 4 of 9 remain")
        breaker.fail()
        #expect(breaker.state == .open, "5 failures among the 10 calls now in the window reach 50%")
    }

    @Test func slowCallRateTrips() throws {
        let clock = TestClock()
        let configuration = CircuitBreaker.Configuration(
            rollingWindow: CircuitBreaker.RollingWindow(length: .seconds(60), buckets: 6, failureRateThreshold: 1.0, minimumThroughput: 4),
            slowCalls: CircuitBreaker.SlowCalls(durationThreshold: .seconds(2), rateThreshold: 0.5)
        )
        let breaker = makeBreaker(configuration, clock: clock)
        try breaker.execute { clock.advance(by: .seconds(3)) }
        breaker.succeed()
        try breaker.execute { clock.advance(by: .seconds(2)) }
        #expect(breaker.state == .closed, "3 calls are below the minimum throughput")
        breaker.succeed()
        #expect(breaker.state == .open, "2 slow calls of 4 reach the 50% slow-call rate")
    }

    @Test func slowProbeReopensAHalfOpenBreaker() throws {
        let clock = TestClock()
        let configuration = CircuitBreaker.Configuration(slowCalls: CircuitBreaker.SlowCalls(durationThreshold: .seconds(1)))
        let breaker = makeBreaker(configuration, clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        try breaker.execute { clock.advance(by: .seconds(5)) }
        #expect(breaker.state == .open)
    }

    @Test func backoffLengthensRepeatedTripsAndResetsOnClose() {
        let clock = TestClock()
        let configuration = CircuitBreaker.Configuration(
            timeout: .seconds(10),
            backoff: CircuitBreaker.Backoff(multiplier: 2, maximum: .seconds(35))
        )
        let breaker = makeBreaker(configuration, clock: clock)
        breaker.fail(6)
        #expect(breaker.status().nextProbeSeconds == 10)
        clock.advance(past: .seconds(10))
        breaker.fail()
        #expect(breaker.status().nextProbeSeconds == 20)
        clock.advance(past: .seconds(20))
        breaker.fail()
        #expect(breaker.status().nextProbeSeconds == 35, "40 s capped at 35 s")
        clock.advance(past: .seconds(35))
        breaker.succeed()
        #expect(breaker.state == .closed)
        breaker.fail(6)
        #expect(breaker.status().nextProbeSeconds == 10)
    }
}
