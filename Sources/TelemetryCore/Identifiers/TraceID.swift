/// A 128-bit W3C trace identifier; never all-zero when valid.
public struct TraceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The high (first) 64 bits, big-endian on the wire.
    public var high: UInt64
    /// The low (last) 64 bits; consistent probability sampling reads the low 56 of these.
    public var low: UInt64

    /// Creates a trace ID from its two 64-bit halves.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The invalid, all-zero trace ID.
    public static let invalid = TraceID(high: 0, low: 0)

    /// Whether the ID is not all-zero.
    @inlinable
    public var isValid: Bool { high != 0 || low != 0 }

    /// The 16 bytes, big-endian, as OTLP and W3C carry them.
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            result[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            result[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        return result
    }

    /// Creates a trace ID from 16 big-endian bytes; `nil` for any other length.
    // Inlinable so decoders specialise it for their byte type (`Data` in the OTLP decoder)
    // instead of paying generic dispatch for every span they read.
    @inlinable
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// 32 lowercase hex digits.
    public var hexString: String { Hex.encode(high) + Hex.encode(low) }

    /// Parses 32 hex digits (either case); `nil` for anything else.
    public init?(hexString: some StringProtocol) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count == 32,
            let high = Hex.decodeUInt64(utf8[0..<16]),
            let low = Hex.decodeUInt64(utf8[16..<32])
        else { return nil }
        self.init(high: high, low: low)
    }

    public var description: String { hexString }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
