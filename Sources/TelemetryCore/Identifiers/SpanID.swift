/// A 64-bit W3C span identifier; never zero when valid.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    /// The 64 bits, big-endian on the wire.
    public var rawValue: UInt64

    /// Creates a span ID from its 64-bit value.
    @inlinable
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The invalid, all-zero span ID.
    public static let invalid = SpanID(0)

    /// Whether the ID is not zero.
    @inlinable
    public var isValid: Bool { rawValue != 0 }

    /// The 8 bytes, big-endian.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: rawValue >> (56 - 8 * UInt64($0))) }
    }

    /// Creates a span ID from 8 big-endian bytes; `nil` for any other length.
    // Inlinable for the same reason as `TraceID.init(bytes:)`: decoders read one per span.
    @inlinable
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 8 else { return nil }
        self.init(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// 16 lowercase hex digits.
    public var hexString: String { Hex.encode(rawValue) }

    /// Parses 16 hex digits (either case); `nil` for anything else.
    public init?(hexString: some StringProtocol) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count == 16, let value = Hex.decodeUInt64(utf8[...]) else { return nil }
        self.init(value)
    }

    public var description: String { hexString }
}
