/// The one parser for the numbers and durations that environment variables, YAML keys and
/// command-line flags hold.
///
/// Every function returns a value inside the caller's range or throws a
/// ``ConfigurationValueError``; no text makes it trap. Durations are summed in checked `Int64`
/// nanoseconds rather than through `Double`, so `100000000000s` is "above the maximum", not a
/// crash in `Int64(_:)` or a silently rounded value. Callers wrap the error into their own type,
/// which names the variable, flag, or key (with file and line for YAML).
package enum ConfigurationValue {
    /// The longest duration any setting accepts: 100 years.
    ///
    /// Far beyond any useful timeout, interval or TTL, and small enough that every deadline derived
    /// from one (`now + timeout` in `Int64` nanoseconds since 1970, a `Duration`'s
    /// `components.seconds * 1_000_000_000`) stays representable.
    package static let maximumDuration = Duration.seconds(3_155_760_000)

    /// What a duration written as a bare number (`5`, `0.5`) is counted in.
    package enum DurationUnit: Sendable, Hashable {
        case nanoseconds, microseconds, milliseconds, seconds, minutes, hours

        var nanoseconds: Int64 {
            switch self {
            case .nanoseconds: 1
            case .microseconds: 1_000
            case .milliseconds: 1_000_000
            case .seconds: 1_000_000_000
            case .minutes: 60_000_000_000
            case .hours: 3_600_000_000_000
            }
        }

        /// Go's unit symbols, which the Collector's configuration uses too.
        init?(symbol: String) {
            switch symbol {
            case "ns": self = .nanoseconds
            case "us", "µs", "μs": self = .microseconds  // micro sign U+00B5 and Greek mu U+03BC, as Go accepts both
            case "ms": self = .milliseconds
            case "s": self = .seconds
            case "m": self = .minutes
            case "h": self = .hours
            default: return nil
            }
        }
    }

    /// A Go-style duration: `250ms`, `1.5s`, `1h30m`, `10us` or `10µs`, `100ns`, `0`.
    ///
    /// - Parameters:
    ///   - bareNumberUnit: the unit of a number written without one (`5`, `0.5`, `1e3`), for the
    ///     settings that have always taken one; `nil` requires a unit, as the Collector does.
    ///   - minimum: the smallest accepted value; `.nanoseconds(1)` for "above zero".
    ///   - maximum: the largest accepted value, at most ``maximumDuration``.
    package static func duration(
        _ text: some StringProtocol,
        bareNumberUnit: DurationUnit? = nil,
        minimum: Duration = .zero,
        maximum: Duration = maximumDuration
    ) throws(ConfigurationValueError) -> Duration {
        let expected =
            bareNumberUnit.map { "a duration such as 250ms, 1.5s or 1h30m, or a number of \($0)" }
            ?? "a duration such as 250ms, 1.5s or 1h30m"
        var body = Substring(trimmed(text))
        let isNegative = body.first == "-"
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let nanoseconds: Int64
        do {
            nanoseconds = try durationNanoseconds(body, bareNumberUnit: bareNumberUnit, expected: expected)
        } catch {
            // `-99999999999h` is negative before it is large.
            if isNegative, case .tooLarge = error.reason { throw ConfigurationValueError(below(minimum)) }
            throw error
        }
        if isNegative, nanoseconds != 0 { throw ConfigurationValueError(below(minimum)) }
        let maximum = min(maximum, maximumDuration)
        guard nanoseconds <= maximum.checkedNanoseconds else {
            throw ConfigurationValueError(.tooLarge(maximum: describe(maximum)))
        }
        guard nanoseconds >= minimum.checkedNanoseconds else {
            throw ConfigurationValueError(below(minimum))
        }
        return .nanoseconds(nanoseconds)
    }

    /// A whole number in `range`; `_` may separate digits (`1_000_000`), as YAML allows.
    package static func integer(_ text: some StringProtocol, in range: ClosedRange<Int>) throws(ConfigurationValueError) -> Int {
        let body = trimmed(text)
        var digits = Substring(body.filter { $0 != "_" })
        let isNegative = digits.first == "-"
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"), digits.allSatisfy(\.isASCIIDigit) else {
            if let number = Double(body), !number.isFinite { throw ConfigurationValueError(.notFinite) }
            throw ConfigurationValueError(.malformed(expected: "a whole number"))
        }
        // All digits yet no `Int`: beyond Int64 in one direction or the other.
        guard let value = Int(isNegative ? "-" + String(digits) : String(digits)) else {
            throw ConfigurationValueError(isNegative ? below(range.lowerBound) : .tooLarge(maximum: String(range.upperBound)))
        }
        guard value >= range.lowerBound else {
            throw ConfigurationValueError(below(range.lowerBound))
        }
        guard value <= range.upperBound else { throw ConfigurationValueError(.tooLarge(maximum: String(range.upperBound))) }
        return value
    }

    /// A finite decimal number in `range`: a ratio (`0...1`), a percentage, a rate.
    package static func number(_ text: some StringProtocol, in range: ClosedRange<Double>) throws(ConfigurationValueError) -> Double {
        let body = trimmed(text)
        guard let value = Double(body) else { throw ConfigurationValueError(.malformed(expected: "a number")) }
        guard value.isFinite else { throw ConfigurationValueError(.notFinite) }
        guard value >= range.lowerBound else {
            throw ConfigurationValueError(range.lowerBound == 0 ? .negative : .tooSmall(minimum: describe(range.lowerBound)))
        }
        guard value <= range.upperBound else { throw ConfigurationValueError(.tooLarge(maximum: describe(range.upperBound))) }
        return value
    }

    // MARK: Pieces

    /// The magnitude, in nanoseconds, of a duration without its sign.
    private static func durationNanoseconds(
        _ body: Substring, bareNumberUnit: DurationUnit?, expected: String
    ) throws(ConfigurationValueError) -> Int64 {
        let malformed = ConfigurationValueError(.malformed(expected: expected))
        guard !body.isEmpty else { throw malformed }
        if body == "0" { return 0 }
        // `inf`, `nan`, `1e400`, `1e300`: forms only `Double` reads, never with a unit. Hexadecimal
        // (`0x10`) stays malformed, as no configuration writes it.
        if let number = Double(body), !body.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
            !number.isFinite || body.allSatisfy({ $0.isASCIIDigit || ".eE+-".contains($0) })
        {
            guard number.isFinite else { throw ConfigurationValueError(.notFinite) }
            guard let unit = bareNumberUnit, number >= 0 else { throw malformed }
            let nanoseconds = number * Double(unit.nanoseconds)
            // Compared as a Double before converting: `Int64(_:)` traps beyond its range.
            guard nanoseconds < Double(maximumDuration.checkedNanoseconds) + 1 else {
                throw ConfigurationValueError(.tooLarge(maximum: describe(maximumDuration)))
            }
            return Int64(nanoseconds.rounded())
        }
        let scalars = Array(body.unicodeScalars)
        var total: Int64 = 0
        var index = 0
        while index < scalars.count {
            let wholeStart = index
            while index < scalars.count, scalars[index].isASCIIDigit { index += 1 }
            let whole = scalars[wholeStart..<index]
            var fraction = scalars[index..<index]
            if index < scalars.count, scalars[index] == "." {
                index += 1
                let fractionStart = index
                while index < scalars.count, scalars[index].isASCIIDigit { index += 1 }
                fraction = scalars[fractionStart..<index]
            }
            guard !whole.isEmpty || !fraction.isEmpty else { throw malformed }
            let unitStart = index
            while index < scalars.count, !scalars[index].isASCIIDigit, scalars[index] != "." { index += 1 }
            let symbol = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            let unit: DurationUnit
            if symbol.isEmpty {
                // A bare number only as the whole text: `1h30` is a typo, not 1h30s.
                guard let bareNumberUnit, wholeStart == 0 else { throw malformed }
                unit = bareNumberUnit
            } else {
                guard let named = DurationUnit(symbol: symbol) else { throw malformed }
                unit = named
            }
            var wholeValue: Int64 = 0
            for digit in whole {
                wholeValue = try checked(wholeValue.multipliedReportingOverflow(by: 10))
                wholeValue = try checked(wholeValue.addingReportingOverflow(Int64(digit.value - 48)))
            }
            var nanoseconds = try checked(wholeValue.multipliedReportingOverflow(by: unit.nanoseconds))
            if !fraction.isEmpty {
                // Less than one unit (at most an hour's 3.6e12 ns), so a Double holds it to well
                // under a nanosecond and the conversion cannot trap.
                let digits = String(String.UnicodeScalarView(fraction.prefix(18)))
                let part = (Double("0." + digits) ?? 0) * Double(unit.nanoseconds)
                nanoseconds = try checked(nanoseconds.addingReportingOverflow(Int64(part.rounded())))
            }
            total = try checked(total.addingReportingOverflow(nanoseconds))
        }
        return total
    }

    private static func checked(_ result: (partialValue: Int64, overflow: Bool)) throws(ConfigurationValueError) -> Int64 {
        guard !result.overflow else { throw ConfigurationValueError(.tooLarge(maximum: describe(maximumDuration))) }
        return result.partialValue
    }

    /// Why a value under `minimum` is refused, in the words that fit the bound: "negative" when
    /// zero is allowed, "not above 0" when only zero is not, else the bound itself.
    private static func below(_ minimum: Int) -> ConfigurationValueError.Reason {
        switch minimum {
        case 0: .negative
        case 1: .notPositive
        default: .tooSmall(minimum: String(minimum))
        }
    }

    private static func below(_ minimum: Duration) -> ConfigurationValueError.Reason {
        switch minimum {
        case .zero: .negative
        case .nanoseconds(1): .notPositive
        default: .tooSmall(minimum: describe(minimum))
        }
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }

    /// A duration in the largest unit that writes it whole: `876600h (100 years)`, `1500ms`.
    package static func describe(_ duration: Duration) -> String {
        let nanoseconds = duration.checkedNanoseconds
        if duration == maximumDuration { return "876600h (100 years)" }
        let units: [(String, Int64)] = [
            ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000),
        ]
        for (symbol, size) in units where nanoseconds != 0 && nanoseconds % size == 0 {
            return "\(nanoseconds / size)\(symbol)"
        }
        return nanoseconds == 0 ? "0s" : "\(nanoseconds)ns"
    }

    private static func describe(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at `Int64`'s bounds instead of trapping.
    fileprivate var checkedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : sum
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension Unicode.Scalar {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
