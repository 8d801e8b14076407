#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP-date (RFC 9110 §5.6.7) parsing, for `Retry-After` values that name a moment rather
/// than a number of seconds.
///
/// Accepts all three forms a recipient must accept: the preferred IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`) and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`) forms. The day name is checked for shape only;
/// the date itself decides the moment.
enum HTTPDate {
    /// Seconds since the Unix epoch for `text`, or `nil` when it is not an HTTP-date.
    ///
    /// `now` (seconds since the epoch) resolves RFC 850's two-digit years: a year that
    /// would lie more than 50 years in the future means the previous century.
    static func secondsSinceEpoch(_ text: some StringProtocol, now: Int64) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        guard let dayName = scanner.letters(), dayName.count >= 3 else { return nil }
        if scanner.take(UInt8(ascii: ",")) {
            guard scanner.take(UInt8(ascii: " ")) else { return nil }
            if dayName.count == 3 {
                return imfFixdate(&scanner)
            }
            return rfc850(&scanner, now: now)
        }
        guard dayName.count == 3 else { return nil }
        return asctime(&scanner)
    }

    /// `DD Mon YYYY HH:MM:SS GMT` after `Day, `.
    private static func imfFixdate(_ scanner: inout Scanner) -> Int64? {
        guard let day = scanner.digits(exactly: 2), scanner.take(UInt8(ascii: " ")),
            let month = scanner.month(), scanner.take(UInt8(ascii: " ")),
            let year = scanner.digits(exactly: 4), scanner.take(UInt8(ascii: " ")),
            let time = scanner.time(), scanner.take(UInt8(ascii: " ")), scanner.gmt(), scanner.atEndAfterSpaces()
        else { return nil }
        return epochSeconds(year: year, month: month, day: day, time: time)
    }

    /// `DD-Mon-YY HH:MM:SS GMT` after `Dayname, `.
    private static func rfc850(_ scanner: inout Scanner, now: Int64) -> Int64? {
        guard let day = scanner.digits(exactly: 2), scanner.take(UInt8(ascii: "-")),
            let month = scanner.month(), scanner.take(UInt8(ascii: "-")),
            let shortYear = scanner.digits(exactly: 2), scanner.take(UInt8(ascii: " ")),
            let time = scanner.time(), scanner.take(UInt8(ascii: " ")), scanner.gmt(), scanner.atEndAfterSpaces()
        else { return nil }
        let currentYear = civilYear(daysSinceEpoch: now >= 0 ? now / 86_400 : (now - 86_399) / 86_400)
        var year = currentYear - currentYear % 100 + shortYear
        if year > currentYear + 50 { year -= 100 }
        return epochSeconds(year: year, month: month, day: day, time: time)
    }

    /// `Mon D HH:MM:SS YYYY` (day space-padded to two) after `Day `.
    private static func asctime(_ scanner: inout Scanner) -> Int64? {
        guard scanner.take(UInt8(ascii: " ")), let month = scanner.month(), scanner.take(UInt8(ascii: " ")) else { return nil }
        _ = scanner.take(UInt8(ascii: " "))
        guard let day = scanner.digits(min: 1, max: 2), scanner.take(UInt8(ascii: " ")),
            let time = scanner.time(), scanner.take(UInt8(ascii: " ")),
            let year = scanner.digits(exactly: 4), scanner.atEndAfterSpaces()
        else { return nil }
        return epochSeconds(year: year, month: month, day: day, time: time)
    }

    private static func epochSeconds(year: Int, month: Int, day: Int, time: (hour: Int, minute: Int, second: Int)) -> Int64? {
        guard (1...daysIn(month: month, year: year)).contains(day),
            time.hour < 24, time.minute < 60, time.second <= 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        // A leap second (:60) is read as the first second of the next minute.
        return days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the "days from civil" algorithm).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian year containing a day counted from 1970-01-01.
    static func civilYear(daysSinceEpoch days: Int64) -> Int {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let year = yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
        return Int(year)
    }

    /// The system's wall clock, as a duration since the Unix epoch.
    static func systemNow() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
}

extension HTTPDate {
    /// A cursor over the header's bytes; every method consumes only on success.
    fileprivate struct Scanner {
        private let bytes: [UInt8]
        private var position = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func skipSpaces() {
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
        }

        mutating func atEndAfterSpaces() -> Bool {
            skipSpaces()
            return position == bytes.count
        }

        mutating func letters() -> ArraySlice<UInt8>? {
            let start = position
            while position < bytes.count, isLetter(bytes[position]) { position += 1 }
            return position > start ? bytes[start..<position] : nil
        }

        mutating func digits(exactly count: Int) -> Int? {
            digits(min: count, max: count)
        }

        mutating func digits(min: Int, max: Int) -> Int? {
            let start = position
            var value = 0
            while position < bytes.count, position - start < max, (48...57).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - 48)
                position += 1
            }
            guard position - start >= min else {
                position = start
                return nil
            }
            return value
        }

        /// A three-letter month name, matched case-sensitively as the grammar requires.
        mutating func month() -> Int? {
            guard position + 3 <= bytes.count else { return nil }
            let name = bytes[position..<position + 3]
            guard let index = HTTPDate.monthNames.firstIndex(where: { $0.elementsEqual(name) }) else { return nil }
            position += 3
            return index + 1
        }

        mutating func time() -> (hour: Int, minute: Int, second: Int)? {
            let start = position
            guard let hour = digits(exactly: 2), take(UInt8(ascii: ":")),
                let minute = digits(exactly: 2), take(UInt8(ascii: ":")),
                let second = digits(exactly: 2)
            else {
                position = start
                return nil
            }
            return (hour, minute, second)
        }

        mutating func gmt() -> Bool {
            guard position + 3 <= bytes.count, bytes[position..<position + 3].elementsEqual("GMT".utf8) else { return false }
            position += 3
            return true
        }

        private func isLetter(_ byte: UInt8) -> Bool {
            (65...90).contains(byte) || (97...122).contains(byte)
        }
    }

    fileprivate static let monthNames: [[UInt8]] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { Array($0.utf8) }
}
