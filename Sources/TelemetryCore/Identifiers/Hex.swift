/// Fixed-width lowercase hex for identifiers, without Foundation's formatters.
package enum Hex {
    @usableFromInline
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// 16 lowercase hex digits of `value`.
    package static func encode(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 {
                buffer[i] = digits[Int((value >> (60 - 4 * UInt64(i))) & 0xF)]
            }
            return 16
        }
    }

    /// The value of one ASCII hex digit, either case.
    @inlinable
    package static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Parses up to 16 hex digits into a `UInt64`; `nil` on an empty slice or a non-hex byte.
    package static func decodeUInt64(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var result: UInt64 = 0
        for digit in digits {
            guard let nibble = value(of: digit) else { return nil }
            result = result << 4 | UInt64(nibble)
        }
        return result
    }
}
