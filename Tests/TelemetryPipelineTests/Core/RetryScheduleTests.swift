import TelemetryHTTPExport
import Testing

@testable import TelemetryPipeline

/// `retry_on_failure`'s waits and give-up, computed without sleeping.
@Suite struct RetryScheduleTests {
    let defaults = RetrySchedule(RetrySettings())

    @Test func theDefaultsAreTheCollectors() {
        let settings = RetrySettings()
        #expect(settings.enabled)
        #expect(settings.initialInterval == .seconds(5))
        #expect(settings.maxInterval == .seconds(30))
        #expect(settings.maxElapsedTime == .seconds(300))
        #expect(settings.multiplier == 1.5)
        #expect(settings.randomizationFactor == 0.5)
        let queue = SendingQueueSettings()
        #expect(queue.enabled && queue.numConsumers == 10 && queue.queueSize == 1000 && queue.storage == nil)
    }

    @Test func intervalsGrowByTheMultiplierUpToMaxInterval() {
        let intervals = (1...7).map { defaults.interval(beforeRetry: $0) }
        #expect(
            intervals == [
                .seconds(5), .milliseconds(7_500), .milliseconds(11_250), .milliseconds(16_875), .nanoseconds(25_312_500_000),
                .seconds(30), .seconds(30),
            ])
    }

    @Test func eachWaitIsSpreadByTheRandomizationFactor() {
        #expect(defaults.delay(beforeRetry: 1, random: 0) == .milliseconds(2_500))
        #expect(defaults.delay(beforeRetry: 1, random: 0.5) == .seconds(5))
        #expect(defaults.delay(beforeRetry: 1, random: 1) == .milliseconds(7_500))
        var exact = RetrySettings()
        exact.randomizationFactor = 0
        #expect(RetrySchedule(exact).delay(beforeRetry: 2, random: 0.9) == .milliseconds(7_500))
    }

    @Test func retryAfterLengthensAWaitButNeverShortensIt() {
        #expect(defaults.delay(beforeRetry: 1, random: 0.5, retryAfter: .seconds(20)) == .seconds(20))
        #expect(defaults.delay(beforeRetry: 1, random: 0.5, retryAfter: .seconds(1)) == .seconds(5))
    }

    @Test func aRequestIsGivenUpWhenTheNextWaitWouldEndAfterMaxElapsedTime() {
        #expect(!defaults.givesUp(elapsed: .seconds(290), delay: .seconds(10)))
        #expect(defaults.givesUp(elapsed: .seconds(290), delay: .milliseconds(10_001)))
        var forever = RetrySettings()
        forever.maxElapsedTime = .zero
        #expect(!RetrySchedule(forever).givesUp(elapsed: .seconds(100_000), delay: .seconds(30)))
    }

    @Test func permanentFailuresAreNotRetriedAndThrottlingCarriesItsWait() {
        #expect(ExportFailure(HTTPExportError.rejected) == .permanent)
        #expect(ExportFailure(HTTPExportError.shutdown) == .shutdown)
        #expect(ExportFailure(HTTPExportError.retriesExhausted) == .retryable(retryAfter: nil))
        #expect(ExportFailure(CancellationError()) == .shutdown)
        struct Unclassified: Error {}
        #expect(ExportFailure(Unclassified()) == .retryable(retryAfter: nil))
        struct Throttled: RetryClassifiedError {
            var isPermanent: Bool { false }
            var retryAfter: Duration? { .seconds(7) }
        }
        #expect(ExportFailure(Throttled()) == .retryable(retryAfter: .seconds(7)))
    }
}
