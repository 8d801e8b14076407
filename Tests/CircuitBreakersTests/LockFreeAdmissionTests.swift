import CircuitBreakers
import TelemetryTesting
import Testing

/// Closed-state admissions are counted without the lock; they must still count exactly as
/// gobreaker v2 counts them: at admission, per generation, kept when excluded.
@Suite(.timeLimit(.minutes(1))) struct LockFreeAdmissionTests {
    @Test func requestsInFlightCountAtAdmissionInEveryClosedGeneration() throws {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        try checkCounting(breaker)

        // Trip, probe, close: the new closed generation counts the same way.
        breaker.fail(6)
        #expect(breaker.state == .open)
        clock.advance(past: .seconds(60))
        breaker.succeed()
        #expect(breaker.state == .closed)
        #expect(breaker.counts == Counts())
        try checkCounting(breaker)
    }

    private func checkCounting(_ breaker: CircuitBreaker) throws {
        let first = try breaker.allow()
        let second = try breaker.allow()
        #expect(breaker.counts.requests == 2, "admitted, not yet completed")
        first.excluded()
        #expect(breaker.counts == Counts(requests: 2, totalExclusions: 1), "an excluded request stays counted")
        second.succeeded()
        #expect(breaker.counts == Counts(requests: 2, totalSuccesses: 1, totalExclusions: 1, consecutiveSuccesses: 1))
        breaker.reset()
        #expect(breaker.counts == Counts())
    }

    @Test func aPermitFromBeforeAResetCountsNowhere() throws {
        let breaker = makeBreaker()
        let stale = try breaker.allow()
        breaker.reset()
        #expect(breaker.counts.requests == 0, "the reset started a new generation")
        stale.failed()
        #expect(breaker.counts == Counts())
        let fresh = try breaker.allow()
        fresh.excluded()
        stale.excluded()
        #expect(breaker.counts == Counts(requests: 1, totalExclusions: 1), "a stale exclusion must not count in the new generation")
    }

    /// Threads admit and complete while another keeps starting generations. Whatever the
    /// interleaving, the generation left standing counts exactly the requests it completed:
    /// no admission from an earlier generation leaks into it.
    @Test func admissionsRacingGenerationChangesNeverLeak() async {
        let breaker = makeBreaker(CircuitBreaker.Configuration(readyToTrip: { _ in false }))
        let finishedWorkers = AtomicCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for index in 0..<20_000 {
                        // Give the flipper turns even on a pool with few threads.
                        if index % 256 == 0 { await Task.yield() }
                        if index % 3 == 0 {
                            _ = try? breaker.execute { () throws -> Int in throw Boom() }
                        } else {
                            _ = try? breaker.execute { index }
                        }
                    }
                    finishedWorkers.increment()
                }
            }
            group.addTask {
                var flip = false
                while finishedWorkers.value < 4, !Task.isCancelled {
                    if flip { breaker.reset() } else { breaker.forceOpen() }
                    flip.toggle()
                    await Task.yield()
                }
            }
        }
        // Every request admitted in the generation left standing has completed in it.
        let settled = breaker.counts
        #expect(settled.requests == settled.totalSuccesses + settled.totalFailures)
        breaker.reset()
        breaker.succeed(10)
        breaker.fail(5)
        #expect(breaker.counts == Counts(requests: 15, totalSuccesses: 10, totalFailures: 5, consecutiveFailures: 5))
    }
}
