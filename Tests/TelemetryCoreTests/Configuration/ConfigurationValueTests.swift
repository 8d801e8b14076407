import Testing

@testable import TelemetryCore

@Suite("ConfigurationValue")
struct ConfigurationValueTests {
    typealias Reason = ConfigurationValueError.Reason
    static let durationSyntax = Reason.malformed(expected: "a duration such as 250ms, 1.5s or 1h30m")
    static let secondsSyntax = Reason.malformed(expected: "a duration such as 250ms, 1.5s or 1h30m, or a number of seconds")
    static let hundredYears = Reason.tooLarge(maximum: "876600h (100 years)")

    @Test(
        "Go durations parse to their exact value",
        arguments: [
            ("250ms", Duration.milliseconds(250)), ("1.5s", .milliseconds(1500)), ("1h30m", .seconds(5400)),
            ("10us", .microseconds(10)), ("10µs", .microseconds(10)), ("10μs", .microseconds(10)), ("100ns", .nanoseconds(100)),
            ("0", .zero), ("-0", .zero), ("0s", .zero), ("+5s", .seconds(5)), (" 2m ", .seconds(120)), ("1m30s", .seconds(90)),
            ("0.1s", .milliseconds(100)), (".5s", .milliseconds(500)), ("2.s", .seconds(2)), ("1.000000001s", .nanoseconds(1_000_000_001)),
            ("1h0.5m", .seconds(3630)), ("876600h", .seconds(3_155_760_000)), ("9223372036ms", .milliseconds(9_223_372_036)),
        ] as [(String, Duration)]
    )
    func durations(text: String, expected: Duration) throws {
        #expect(try ConfigurationValue.duration(text) == expected)
    }

    @Test(
        "a bare number is read in the caller's unit, only when the caller allows it",
        arguments: [
            ("5", ConfigurationValue.DurationUnit.seconds, Duration.seconds(5)), ("0.5", .seconds, .milliseconds(500)),
            ("1e3", .seconds, .seconds(1000)), ("250", .milliseconds, .milliseconds(250)), ("1.5", .milliseconds, .microseconds(1500)),
            ("5s", .milliseconds, .seconds(5)), ("0", .milliseconds, .zero),
        ] as [(String, ConfigurationValue.DurationUnit, Duration)]
    )
    func bareNumbers(text: String, unit: ConfigurationValue.DurationUnit, expected: Duration) throws {
        #expect(try ConfigurationValue.duration(text, bareNumberUnit: unit) == expected)
    }

    @Test(
        "durations that are not usable name the reason",
        arguments: [
            ("", durationSyntax), ("soon", durationSyntax), ("5", durationSyntax), ("5 parsecs", durationSyntax), ("1h30", durationSyntax),
            ("s", durationSyntax), (".s", durationSyntax), ("1d", durationSyntax), ("1e3s", durationSyntax), ("5S", durationSyntax),
            ("--5s", durationSyntax), ("1..5s", durationSyntax),
            ("inf", .notFinite), ("nan", .notFinite), ("infinity", .notFinite), ("1e400", .notFinite), ("-inf", .notFinite),
            ("-1s", .negative), ("-99999999999h", .negative), ("-0.5ms", .negative),
            ("100000000000s", hundredYears), ("99999999999h", hundredYears), ("876600h1ns", hundredYears),
            ("9223372036854775807ns", hundredYears), ("99999999999999999999999s", hundredYears), ("2562048h", hundredYears),
        ] as [(String, Reason)]
    )
    func rejectedDurations(text: String, reason: Reason) {
        #expect(throws: ConfigurationValueError(reason)) { try ConfigurationValue.duration(text) }
    }

    @Test(
        "bare numbers that are not usable name the reason",
        arguments: [
            ("inf", ConfigurationValue.DurationUnit.seconds, Reason.notFinite), ("1e300", .seconds, hundredYears),
            ("1e400", .seconds, .notFinite), ("-1", .seconds, .negative), ("-1e300", .seconds, .negative), ("0x1p3", .seconds, secondsSyntax),
            ("9223372036854775807", .milliseconds, hundredYears), ("3155760000001", .milliseconds, hundredYears),
            ("soon", .seconds, secondsSyntax), ("nan", .milliseconds, .notFinite),
        ] as [(String, ConfigurationValue.DurationUnit, Reason)]
    )
    func rejectedBareNumbers(text: String, unit: ConfigurationValue.DurationUnit, reason: Reason) {
        #expect(throws: ConfigurationValueError(reason)) { try ConfigurationValue.duration(text, bareNumberUnit: unit) }
    }

    @Test("a caller's bounds apply: zero where only positive makes sense, a lower maximum")
    func durationBounds() throws {
        #expect(throws: ConfigurationValueError(.notPositive)) { try ConfigurationValue.duration("0s", minimum: .nanoseconds(1)) }
        #expect(throws: ConfigurationValueError(.tooSmall(minimum: "1s"))) { try ConfigurationValue.duration("500ms", minimum: .seconds(1)) }
        #expect(throws: ConfigurationValueError(.tooLarge(maximum: "1h"))) { try ConfigurationValue.duration("61m", maximum: .seconds(3600)) }
        #expect(try ConfigurationValue.duration("1h", maximum: .seconds(3600)) == .seconds(3600))
        #expect(throws: ConfigurationValueError(.notPositive)) { try ConfigurationValue.duration("-1s", minimum: .nanoseconds(1)) }
        #expect(throws: ConfigurationValueError(.negative)) { try ConfigurationValue.integer("-1", in: 0...10) }
    }

    @Test(
        "whole numbers parse within their range",
        arguments: [("42", 42), (" 7 ", 7), ("+3", 3), ("1_000_000", 1_000_000), ("0", 0), ("65535", 65535)] as [(String, Int)]
    )
    func integers(text: String, expected: Int) throws {
        #expect(try ConfigurationValue.integer(text, in: 0...1_000_000) == expected)
    }

    @Test(
        "whole numbers that are not usable name the reason",
        arguments: [
            ("", Reason.malformed(expected: "a whole number")), ("lots", .malformed(expected: "a whole number")),
            ("1.5", .malformed(expected: "a whole number")), ("1e3", .malformed(expected: "a whole number")),
            ("_1", .malformed(expected: "a whole number")), ("0x10", .malformed(expected: "a whole number")),
            ("inf", .notFinite), ("nan", .notFinite), ("-1", .notPositive), ("-99999999999999999999", .notPositive),
            ("0", .notPositive), ("65536", .tooLarge(maximum: "65535")), ("9223372036854775808", .tooLarge(maximum: "65535")),
        ] as [(String, Reason)]
    )
    func rejectedIntegers(text: String, reason: Reason) {
        #expect(throws: ConfigurationValueError(reason)) { try ConfigurationValue.integer(text, in: 1...65535) }
    }

    @Test("a range below zero reports its minimum rather than negativity")
    func signedIntegerRange() throws {
        #expect(try ConfigurationValue.integer("-5", in: -10...10) == -5)
        #expect(throws: ConfigurationValueError(.tooSmall(minimum: "-10"))) { try ConfigurationValue.integer("-11", in: -10...10) }
    }

    @Test("finite numbers parse within their range", arguments: [("0.1", 0.1), ("1", 1.0), ("0", 0.0), ("1e-3", 0.001)] as [(String, Double)])
    func numbers(text: String, expected: Double) throws {
        #expect(try ConfigurationValue.number(text, in: 0...1) == expected)
    }

    @Test(
        "numbers that are not usable name the reason",
        arguments: [
            ("abc", Reason.malformed(expected: "a number")), ("", .malformed(expected: "a number")), ("inf", .notFinite),
            ("-inf", .notFinite), ("nan", .notFinite), ("1e400", .notFinite), ("-0.1", .negative), ("1.5", .tooLarge(maximum: "1")),
        ] as [(String, Reason)]
    )
    func rejectedNumbers(text: String, reason: Reason) {
        #expect(throws: ConfigurationValueError(reason)) { try ConfigurationValue.number(text, in: 0...1) }
    }

    @Test("the messages read after the value")
    func messages() {
        #expect(ConfigurationValueError(.notFinite).description == "is not a finite number")
        #expect(ConfigurationValueError(Self.hundredYears).description == "is above the maximum 876600h (100 years)")
        #expect(ConfigurationValueError(Self.hundredYears).expectation == "at most 876600h (100 years)")
        #expect(ConfigurationValueError(.negative).expectation == "0 or more")
    }
}
