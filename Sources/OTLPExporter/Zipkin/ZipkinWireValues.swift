import TelemetryCore

/// Zipkin's hex identifiers.
enum ZipkinID {
    /// Up to 32 hex digits, left-padded as zipkin-go's `TraceIDFromHex` does; tracers send 16
    /// (64-bit IDs) or 32 (128-bit).
    static func traceID(hex text: String) -> (high: UInt64, low: UInt64)? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 32 else { return nil }
        let split = max(0, digits.count - 16)
        guard let low = Hex.decodeUInt64(digits[split...]) else { return nil }
        if split == 0 { return (0, low) }
        guard let high = Hex.decodeUInt64(digits[..<split]) else { return nil }
        return (high, low)
    }

    /// Up to 16 hex digits.
    static func spanID(hex text: String) -> UInt64? {
        let digits = Array(text.utf8)
        guard digits.count <= 16 else { return nil }
        return Hex.decodeUInt64(digits[...])
    }

    /// A bounded, quoted copy of untrusted text for an error message.
    static func excerpt(_ text: String) -> String {
        let prefix = text.prefix(40)
        return (prefix.count < text.count ? String(prefix) + "…" : String(prefix)).debugDescription
    }
}

/// Endpoint addresses: validated when they arrive as text (JSON), rendered when they arrive
/// as bytes (proto3), so both wires yield the same attribute values.
enum ZipkinAddress {
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.utf8.count) && part.utf8.allSatisfy { (0x30...0x39).contains($0) } && (Int(part) ?? 256) <= 255
            }
    }

    /// RFC 4291 text: eight groups of 1–4 hex digits, one `::` for a run of zero groups, an
    /// optional dotted IPv4 tail.
    static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.count <= 45 else { return false }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        switch halves.count {
        case 1:
            return groupCount(halves[0], last: true) == 8
        case 2:
            guard let left = groupCount(halves[0], last: false), let right = groupCount(halves[1], last: true) else { return false }
            return left + right <= 7
        default:
            return false
        }
    }

    /// How many 16-bit groups `text` holds; `nil` if it is malformed.
    private static func groupCount(_ text: Substring, last: Bool) -> Int? {
        if text.isEmpty { return 0 }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (position, group) in groups.enumerated() {
            if last, position == groups.count - 1, group.contains(".") {
                guard isIPv4(group) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(group.utf8.count), group.utf8.allSatisfy({ Hex.value(of: $0) != nil }) else { return nil }
                count += 1
            }
        }
        return count
    }

    /// Dotted-quad text of four bytes.
    static func ipv4(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        bytes.map { String($0) }.joined(separator: ".")
    }

    /// RFC 5952 text of sixteen bytes: lowercase, leading zeros dropped, the longest run of
    /// two or more zero groups written `::`.
    static func ipv6(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        func text(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.length >= 2 else { return text(0..<8) }
        return text(0..<best.start) + "::" + text((best.start + best.length)..<8)
    }
}
