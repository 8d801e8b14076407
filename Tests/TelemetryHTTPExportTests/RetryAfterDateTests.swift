import Testing

@testable import TelemetryHTTPExport

/// `Retry-After` as an HTTP-date (RFC 9110 §10.2.3), in all three forms a recipient must read.
@Suite struct RetryAfterDateTests {
    /// 2015-10-21 07:28:00 UTC.
    static let back: Int64 = 1_445_412_480

    @Test(arguments: [
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Wednesday, 21-Oct-15 07:28:00 GMT",
        "Wed Oct 21 07:28:00 2015",
        "  Wed, 21 Oct 2015 07:28:00 GMT  ",
    ])
    func everyFormNamesTheSameMoment(value: String) {
        let now = Duration.seconds(Self.back - 90)
        #expect(RetryPolicy.parseRetryAfter(value, now: now) == .seconds(90))
    }

    @Test func asctimePadsSingleDigitDaysWithASpace() {
        let now = Duration.seconds(784_111_777 - 5)
        #expect(RetryPolicy.parseRetryAfter("Sun Nov  6 08:49:37 1994", now: now) == .seconds(5))
    }

    @Test func theWaitKeepsTheSubsecondPartOfNow() {
        let now = Duration.seconds(Self.back) - .milliseconds(1500)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .milliseconds(1500))
    }

    @Test func aDateInThePastMeansRetryNow() {
        let now = Duration.seconds(Self.back + 3600)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .zero)
    }

    @Test func aFarDateIsClampedLikeLongDelaySeconds() {
        let now = Duration.seconds(Self.back - 86_400)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(3600))
        #expect(RetryPolicy.parseRetryAfter("86400") == .seconds(3600))
    }

    @Test func rfc850TwoDigitYearsStayWithinFiftyYears() {
        // In 2099, "99" is 2099 itself.
        let in2099 = Duration.seconds(HTTPDate.daysSinceEpoch(year: 2099, month: 6, day: 1) * 86_400)
        let target2099 = HTTPDate.daysSinceEpoch(year: 2099, month: 6, day: 2) * 86_400
        #expect(HTTPDate.secondsSinceEpoch("Tuesday, 02-Jun-99 00:00:00 GMT", now: in2099.components.seconds) == target2099)
        // In 2015, "94" cannot be 2094 (more than 50 years ahead), so it is 1994.
        #expect(HTTPDate.secondsSinceEpoch("Sunday, 06-Nov-94 08:49:37 GMT", now: Self.back) == 784_111_777)
    }

    @Test(arguments: [
        "Wed, 32 Oct 2015 07:28:00 GMT",
        "Wed, 29 Feb 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 24:00:00 GMT",
        "Wed, 21 Oct 2015 07:28:00 UTC",
        "Wed, 21 oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 15 07:28:00 GMT",
        "Wed 21 Oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 07:28 GMT",
        "Wed, 21 Oct 2015 07:28:00 GMT extra",
        "soon",
        "",
        "1.5",
        "-1",
    ])
    func rejectsWhatIsNeitherForm(value: String) {
        #expect(RetryPolicy.parseRetryAfter(value, now: .seconds(Self.back)) == nil)
    }

    @Test func civilDatesMatchTheUnixCalendar() {
        #expect(HTTPDate.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(HTTPDate.daysSinceEpoch(year: 2000, month: 2, day: 29) * 86_400 == 951_782_400)
        #expect(HTTPDate.daysSinceEpoch(year: 2100, month: 3, day: 1) * 86_400 + 43_200 == 4_107_585_600)
        #expect(HTTPDate.daysSinceEpoch(year: 1969, month: 12, day: 31) == -1)
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let year = HTTPDate.civilYear(daysSinceEpoch: days)
            #expect(HTTPDate.daysSinceEpoch(year: year, month: 1, day: 1) <= days)
            #expect(HTTPDate.daysSinceEpoch(year: year + 1, month: 1, day: 1) > days)
        }
    }
}
