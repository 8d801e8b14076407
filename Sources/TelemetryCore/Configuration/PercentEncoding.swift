/// RFC 3986 percent-encoding, as W3C baggage and `OTEL_RESOURCE_ATTRIBUTES` use it.
package enum PercentEncoding {
    /// Decodes `%XX` escapes; `nil` on a broken escape or invalid UTF-8.
    package static func decode(_ text: some StringProtocol) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(Hex.value(of:)),
                    let low = iterator.next().flatMap(Hex.value(of:))
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// RFC 3986 prefers uppercase hex in escapes.
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Encodes everything outside W3C baggage's `baggage-octet` set (and `%`).
    package static func encode(_ text: String) -> String {
        func isSafe(_ byte: UInt8) -> Bool {
            // baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
            byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
                || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
        }
        guard !text.utf8.allSatisfy({ isSafe($0) && $0 != UInt8(ascii: "%") }) else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isSafe(byte) && byte != UInt8(ascii: "%") {
                result.append(byte)
            } else {
                result.append(UInt8(ascii: "%"))
                result.append(upperDigits[Int(byte >> 4)])
                result.append(upperDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
