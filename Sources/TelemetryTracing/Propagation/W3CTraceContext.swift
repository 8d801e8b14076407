import TelemetryCore

/// The W3C Trace Context `traceparent` header, parsed and written without Foundation.
public enum W3CTraceContext {
    /// The header carrying version, trace ID, parent span ID and flags.
    public static let traceparentHeader = "traceparent"
    /// The header carrying vendor trace state.
    public static let tracestateHeader = "tracestate"

    /// `00-<32 hex trace ID>-<16 hex span ID>-<2 hex flags>`.
    public static func traceparent(for context: SpanContext) -> String {
        String(unsafeUninitializedCapacity: 55) { buffer in
            let digits = hexDigits
            func put(_ value: UInt64, at offset: Int, count: Int) {
                for i in 0..<count {
                    buffer[offset + i] = digits[Int((value >> UInt64(4 * (count - 1 - i))) & 0xF)]
                }
            }
            buffer[0] = UInt8(ascii: "0")
            buffer[1] = UInt8(ascii: "0")
            buffer[2] = UInt8(ascii: "-")
            put(context.traceID.high, at: 3, count: 16)
            put(context.traceID.low, at: 19, count: 16)
            buffer[35] = UInt8(ascii: "-")
            put(context.spanID.rawValue, at: 36, count: 16)
            buffer[52] = UInt8(ascii: "-")
            put(UInt64(context.traceFlags.rawValue), at: 53, count: 2)
            return 55
        }
    }

    /// Parses a `traceparent` value into a remote span context; `nil` for anything W3C says
    /// to ignore: wrong length or separators, non-lowercase-hex, version `ff`, zero IDs.
    public static func parse(traceparent value: some StringProtocol) -> SpanContext? {
        var utf8 = Substring(value).utf8[...]
        while let first = utf8.first, first == 0x20 || first == 0x09 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8 = utf8.dropLast() }
        let parsed: SpanContext?? = utf8.withContiguousStorageIfAvailable { parse(bytes: $0) }
        if let parsed { return parsed }
        return Array(utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> SpanContext? {
        guard bytes.count >= 55,
            bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
            let version = lowerHex(bytes, 0, 2), version != 0xFF
        else { return nil }
        // Version 00 is exactly 55 characters; later versions may append `-`-prefixed fields.
        if version == 0 {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == UInt8(ascii: "-") else { return nil }
        }
        guard let high = lowerHex(bytes, 3, 16), let low = lowerHex(bytes, 19, 16),
            let spanID = lowerHex(bytes, 36, 16), let flags = lowerHex(bytes, 53, 2)
        else { return nil }
        let traceID = TraceID(high: high, low: low)
        guard traceID.isValid, spanID != 0 else { return nil }
        return SpanContext(
            traceID: traceID,
            spanID: SpanID(spanID),
            traceFlags: TraceFlags(rawValue: UInt8(flags)).intersection([.sampled, .random]),
            isRemote: true
        )
    }

    /// `count` lowercase hex digits at `offset`; W3C forbids uppercase in `traceparent`.
    private static func lowerHex(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> UInt64? {
        var result: UInt64 = 0
        for i in offset..<(offset + count) {
            let byte = bytes[i]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            result = result << 4 | UInt64(nibble)
        }
        return result
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
