import CircuitBreakers
import Synchronization
import TelemetryTesting
import Testing

/// sony/gobreaker v2.4.0's documented behaviour, scenario by scenario, on an injected clock:
/// what a `ReadyToTrip` rule or a test ported from gobreaker relies on.
@Suite struct GobreakerScenarioTests {
    // MARK: Closed state

    @Test func moreThanFiveConsecutiveFailuresTripByDefault() {
        let breaker = makeBreaker()
        breaker.fail(5)
        breaker.succeed()
        breaker.fail(5)
        #expect(breaker.state == .closed, "a success breaks the run")
        breaker.fail()
        #expect(breaker.state == .open, "the sixth failure in a row trips")
    }

    @Test func readyToTripSeesGobreakersCountsAfterEveryClosedFailureOnly() throws {
        let seen = CountsLog()
        let breaker = makeBreaker(
            CircuitBreaker.Configuration(readyToTrip: { counts in
                seen.append(counts)
                return counts.consecutiveFailures >= 2
            }))
        breaker.succeed()
        _ = try? breaker.execute { () throws -> Int in throw CancellationError() }
        #expect(seen.entries.isEmpty, "successes and exclusions never ask readyToTrip")
        breaker.fail()
        breaker.fail()
        #expect(
            seen.entries == [
                Counts(requests: 3, totalSuccesses: 1, totalFailures: 1, totalExclusions: 1, consecutiveFailures: 1),
                Counts(requests: 4, totalSuccesses: 1, totalFailures: 2, totalExclusions: 1, consecutiveFailures: 2),
            ]
        )
        #expect(breaker.state == .open)
    }

    @Test func intervalClearsStrictlyAfterItsLastInstant() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30)), clock: clock)
        breaker.fail(5)
        clock.advance(by: .seconds(30))
        #expect(breaker.counts == Counts(requests: 5, totalFailures: 5, consecutiveFailures: 5), "at the instant: nothing")
        #expect(breaker.status().generation == 0)
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts(), "1 ns after: cleared")
        #expect(breaker.status().generation == 1)
        breaker.fail()
        #expect(breaker.state == .closed, "the five earlier failures no longer add up")
    }

    @Test func theNextIntervalStartsWhenTheBreakerNoticesTheClearing() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30)), clock: clock)
        clock.advance(by: .seconds(45))
        breaker.fail()
        #expect(breaker.status().generation == 1, "cleared lazily at 45 s")
        clock.advance(by: .seconds(30))
        #expect(breaker.counts.totalFailures == 1, "the new interval runs from 45 s to 75 s")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts())
    }

    @Test func intervalZeroNeverClears() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .zero), clock: clock)
        breaker.fail(5)
        clock.advance(by: .seconds(100 * 86_400))
        breaker.fail()
        #expect(breaker.state == .open, "six failures 100 days apart are still six in a row")
    }

    // MARK: Open and half-open states

    @Test func openBecomesHalfOpenStrictlyAfterTheTimeout() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(timeout: .seconds(10)), clock: clock)
        breaker.fail(6)
        clock.advance(by: .seconds(10))
        let rejection = try #require(breaker.rejection(), "at the instant: still open")
        #expect(rejection.state == .open)
        #expect(rejection.retryAfter == .zero)
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.state == .halfOpen, "1 ns after: half-open")
    }

    @Test func halfOpenAdmitsExactlyMaxRequestsPerGeneration() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 3), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        let probes = try (0..<3).map { _ in try breaker.allow() }
        #expect(breaker.rejection()?.isTooManyRequests == true, "a fourth request in flight is rejected")
        probes[0].succeeded()
        probes[1].succeeded()
        #expect(breaker.state == .halfOpen)
        #expect(breaker.rejection()?.isTooManyRequests == true, "the budget counts requests, not requests in flight")
        #expect(breaker.counts == Counts(requests: 3, totalSuccesses: 2, consecutiveSuccesses: 2))
        probes[2].succeeded()
        #expect(breaker.state == .closed, "closed after maxRequests consecutive successes")
        #expect(breaker.counts == Counts())
    }

    @Test(arguments: [0, 1, 2])
    func anyHalfOpenFailureReopens(successesFirst: Int) throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 3, timeout: .seconds(10)), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(10))
        breaker.succeed(successesFirst)
        #expect(breaker.state == .halfOpen)
        breaker.fail()
        #expect(breaker.state == .open)
        clock.advance(by: .seconds(10))
        #expect(breaker.state == .open, "a full timeout again, from the failure")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.state == .halfOpen)
    }

    // MARK: Generations

    @Test func resultsFromAnOlderGenerationAreIgnored() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 2, interval: .seconds(30)), clock: clock)

        // Admitted before an interval clearing.
        let beforeClearing = try breaker.allow()
        clock.advance(past: .seconds(30))
        beforeClearing.failed()
        #expect(breaker.counts == Counts())

        // Admitted closed, completed open.
        let beforeTrip = try breaker.allow()
        breaker.fail(6)
        beforeTrip.failed()
        beforeTrip.excluded()
        #expect(breaker.counts == Counts())

        // Admitted half-open, completed after the breaker reopened and half-opened again.
        clock.advance(past: .seconds(60))
        let staleProbe = try breaker.allow()
        breaker.fail()
        clock.advance(past: .seconds(60))
        #expect(breaker.state == .halfOpen)
        staleProbe.succeeded()
        #expect(breaker.counts == Counts())
        breaker.succeed()
        #expect(breaker.state == .halfOpen, "only this generation's one success counts toward 2")
        breaker.succeed()
        #expect(breaker.state == .closed)
    }

    // MARK: Exclusions

    @Test func exclusionsStayInRequestsAndCountInTotalExclusions() {
        let breaker = makeBreaker(CircuitBreaker.Configuration(isExcluded: { $0 is Boom }))
        breaker.succeed(2)
        breaker.fail(3)
        #expect(breaker.counts == Counts(requests: 5, totalSuccesses: 2, totalExclusions: 3, consecutiveSuccesses: 2))
    }

    @Test func anExclusionLeavesBothRunsAsTheyWere() throws {
        let breaker = makeBreaker()
        breaker.fail(5)
        let permit = try breaker.allow()
        permit.excluded()
        #expect(breaker.counts == Counts(requests: 6, totalFailures: 5, totalExclusions: 1, consecutiveFailures: 5))
        breaker.fail()
        #expect(breaker.state == .open, "the run of failures continues across the exclusion")
    }

    @Test func anExcludedProbeFreesItsHalfOpenSlot() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: 1), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        let probe = try breaker.allow()
        #expect(breaker.rejection()?.isTooManyRequests == true)
        probe.excluded()
        #expect(breaker.state == .halfOpen)
        #expect(breaker.counts == Counts(requests: 1, totalExclusions: 1))
        breaker.succeed()
        #expect(breaker.state == .closed, "the slot freed by the exclusion admitted a second probe")
    }

    // MARK: Buckets

    /// Interval 30 s in buckets of 10 s. Each bucket leaves the counts when its period has
    /// passed three times over, at the first instant of the bucket that replaces it.
    @Test func theOldestBucketAgesOutAtItsEnd() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10)), clock: clock)
        breaker.fail(2)  // bucket 0
        clock.advance(by: .seconds(10))
        breaker.succeed()  // bucket 1
        clock.advance(by: .seconds(10))
        breaker.fail(2)  // bucket 2
        clock.advance(by: .seconds(10) - .nanoseconds(1))
        #expect(breaker.counts == Counts(requests: 5, totalSuccesses: 1, totalFailures: 4, consecutiveFailures: 2))

        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts(requests: 3, totalSuccesses: 1, totalFailures: 2, consecutiveFailures: 2), "bucket 0 left")
        clock.advance(by: .seconds(10))
        #expect(breaker.counts == Counts(requests: 2, totalFailures: 2, consecutiveFailures: 2), "bucket 1 left")
        clock.advance(by: .seconds(10))
        #expect(breaker.counts == Counts(), "bucket 2 left")
        #expect(breaker.status().generation == 0, "buckets age out without a new generation")
    }

    @Test func aRunShrinksWhenItsStartAgesOut() {
        let clock = TestClock()
        let configuration = CircuitBreaker.Configuration(
            interval: .seconds(30), bucketPeriod: .seconds(10), readyToTrip: CircuitBreaker.Configuration.consecutiveFailures(6)
        )
        let breaker = makeBreaker(configuration, clock: clock)
        breaker.fail(3)
        clock.advance(by: .seconds(20))
        breaker.fail(2)
        #expect(breaker.counts.consecutiveFailures == 5)
        clock.advance(by: .seconds(10))
        #expect(breaker.counts.consecutiveFailures == 2, "the run's first three failures aged out with their bucket")
        breaker.fail(3)
        #expect(breaker.state == .closed, "5 in a row within the window")
        breaker.fail()
        #expect(breaker.state == .open)
    }

    @Test func aRunLosesOnlyItsPartInTheOldestBucket() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10)), clock: clock)
        breaker.fail(2)
        breaker.succeed()
        clock.advance(by: .seconds(10))
        breaker.succeed(2)
        clock.advance(by: .seconds(20))
        #expect(
            breaker.counts == Counts(requests: 2, totalSuccesses: 2, consecutiveSuccesses: 2),
            "the run of 3 successes reached back into bucket 0 by one: 2 remain"
        )
    }

    @Test func aResultCountsInTheBucketItsRequestWasAdmittedIn() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10)), clock: clock)
        let early = try breaker.allow()  // bucket 0
        clock.advance(by: .seconds(10))
        early.failed()
        #expect(breaker.counts == Counts(requests: 1, totalFailures: 1, consecutiveFailures: 1))
        clock.advance(by: .seconds(20))
        #expect(breaker.counts == Counts(), "the failure left with bucket 0, where it was admitted")
    }

    @Test func aResultWhoseBucketAgedOutCountsNowhere() throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10)), clock: clock)
        let stale = try breaker.allow()  // bucket 0
        clock.advance(by: .seconds(20))
        breaker.succeed()  // bucket 2
        clock.advance(by: .seconds(10))
        stale.failed()
        #expect(breaker.counts == Counts(requests: 1, totalSuccesses: 1, consecutiveSuccesses: 1))
    }

    @Test func aQuietIntervalEmptiesEveryBucket() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10)), clock: clock)
        breaker.fail(5)
        clock.advance(by: .seconds(10))
        breaker.succeed()
        clock.advance(by: .seconds(3600))
        #expect(breaker.counts == Counts())
        #expect(breaker.status().generation == 0)
        breaker.fail(5)
        #expect(breaker.counts == Counts(requests: 5, totalFailures: 5, consecutiveFailures: 5))
    }

    @Test func bucketsStartAfreshWithEveryGeneration() {
        let clock = TestClock()
        let breaker = makeBreaker(
            CircuitBreaker.Configuration(interval: .seconds(30), bucketPeriod: .seconds(10), timeout: .seconds(5)), clock: clock
        )
        clock.advance(by: .seconds(7))
        breaker.fail(6)
        clock.advance(past: .seconds(5))
        breaker.succeed()
        #expect(breaker.state == .closed, "closed again at 12 s + 1 ns; buckets count from there")
        breaker.fail(2)
        clock.advance(by: .seconds(30) - .nanoseconds(1))
        #expect(breaker.counts.totalFailures == 2)
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts())
    }

    @Test func theIntervalIsRoundedUpToWholeBuckets() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(25), bucketPeriod: .seconds(10)), clock: clock)
        breaker.fail()
        clock.advance(by: .seconds(30) - .nanoseconds(1))
        #expect(breaker.counts.totalFailures == 1, "25 s became 3 buckets of 10 s")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts())
    }

    @Test func aBucketPeriodAsLongAsTheIntervalOrLongerIsOnePlainInterval() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(10), bucketPeriod: .seconds(30)), clock: clock)
        breaker.fail()
        clock.advance(by: .seconds(30))
        #expect(breaker.counts.totalFailures == 1, "the interval became 30 s, cleared strictly after")
        clock.advance(by: .nanoseconds(1))
        #expect(breaker.counts == Counts())
        #expect(breaker.status().generation == 1)
    }

    @Test func aBucketPeriodWithoutAnIntervalIsIgnored() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(bucketPeriod: .seconds(10)), clock: clock)
        breaker.fail(5)
        clock.advance(by: .seconds(3600))
        breaker.fail()
        #expect(breaker.state == .open)
    }

    @Test func aTinyBucketPeriodKeepsAtMostMaximumBuckets() {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(interval: .seconds(3600), bucketPeriod: .nanoseconds(1)), clock: clock)
        breaker.fail(3)
        clock.advance(by: .seconds(1800))
        breaker.fail()
        #expect(breaker.counts.consecutiveFailures == 4)
        clock.advance(by: .seconds(1800))
        #expect(breaker.counts.consecutiveFailures == 1, "the first failures aged out after the hour")
    }

    // MARK: Deliberate differences

    @Test func cancellationIsExcludedByDefault() {
        let breaker = makeBreaker()
        _ = try? breaker.execute { () throws -> Int in throw CancellationError() }
        #expect(breaker.counts == Counts(requests: 1, totalExclusions: 1), "gobreaker would count a failure")
    }

    @Test func readingCountsAppliesATransitionThatIsDue() {
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        #expect(breaker.counts == Counts())
        #expect(breaker.status().generation == 2, "reading the counts started the half-open generation")
    }
}

private final class CountsLog: Sendable {
    private let storage = Mutex<[Counts]>([])
    func append(_ counts: Counts) { storage.withLock { $0.append(counts) } }
    var entries: [Counts] { storage.withLock { $0 } }
}
