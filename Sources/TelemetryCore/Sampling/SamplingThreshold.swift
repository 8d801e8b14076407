/// OpenTelemetry's consistent-probability rejection threshold (W3C Trace Context Level 2).
///
/// A 56-bit value `T`: a trace is kept when the low 56 bits of its trace ID (its randomness
/// `R`) satisfy `R >= T`, so the sampling probability is `(2^56 - T) / 2^56`. It travels in
/// `tracestate` as `ot=th:<hex>`, with trailing zeros removed (`th:0` means 100%).
public struct SamplingThreshold: Sendable, Hashable {
    /// `2^56`, the size of the randomness domain.
    public static let maxAdjustedCount: UInt64 = 1 << 56

    /// The rejection threshold `T`, in `0 ..< 2^56`.
    public let rejectionThreshold: UInt64

    /// Creates a threshold from its 56-bit value; `nil` when out of range.
    public init?(rejectionThreshold: UInt64) {
        guard rejectionThreshold < Self.maxAdjustedCount else { return nil }
        self.rejectionThreshold = rejectionThreshold
    }

    /// Keeps everything.
    public static let alwaysSample = SamplingThreshold(rejectionThreshold: 0)!

    /// The threshold for a probability in `(0, 1]`, rounded to `precision` hex digits; `nil`
    /// outside that range.
    ///
    /// OpenTelemetry's consistent probability sampling rounds thresholds so `th` stays short:
    /// 50% is `8`, 25% is `c`, 10% is `e666`. Near 0 and 1 each leading `0` or `f` digit carries
    /// no information, so one digit of precision is added per factor of 16 by which `p` or
    /// `1 - p` is small (1% becomes `fd70a`, not `fd71`). A precision of 14 or more keeps all 56 bits.
    ///
    /// - Parameters:
    ///   - probability: The share of traces to keep.
    ///   - precision: Significant hex digits of the threshold, 1 to 14. Default 4, as OpenTelemetry's.
    public init?(probability: Double, precision: Int = 4) {
        guard probability > 0, probability <= 1, probability.isFinite else { return nil }
        if probability == 1 {
            self.rejectionThreshold = 0
            return
        }
        let kept = UInt64((probability * Double(Self.maxAdjustedCount)).rounded())
        var threshold = Self.maxAdjustedCount - min(kept, Self.maxAdjustedCount)
        let digits = min(14, max(1, precision) + max(Self.leadingHexDigits(probability), Self.leadingHexDigits(1 - probability)))
        if digits < 14 {
            let shift = UInt64(4 * (14 - digits))
            threshold = ((threshold + (1 << (shift - 1))) >> shift) << shift
        }
        self.rejectionThreshold = min(threshold, Self.maxAdjustedCount - 1)
    }

    /// How many leading hex digits of a 56-bit fraction are fixed by `value`'s magnitude alone.
    private static func leadingHexDigits(_ value: Double) -> Int {
        // `exponent` is for a significand in [1, 2); one more gives the [0.5, 1) form.
        let binaryExponent = Int(value.exponent) + 1
        return binaryExponent < 0 ? -binaryExponent / 4 : 0
    }

    /// The probability a trace is kept.
    public var probability: Double {
        Double(Self.maxAdjustedCount - rejectionThreshold) / Double(Self.maxAdjustedCount)
    }

    /// How many spans each kept span stands for: `1 / probability`.
    public var adjustedCount: Double { 1 / probability }

    /// Whether a trace with these low 56 random bits is kept.
    @inlinable
    public func shouldSample(randomness: UInt64) -> Bool {
        (randomness & (Self.maxAdjustedCount - 1)) >= rejectionThreshold
    }

    /// The `th` value: 14 hex digits with trailing zeros removed (`0` for always).
    public var thValue: String {
        if rejectionThreshold == 0 { return "0" }
        var digits = Array(Hex.encode(rejectionThreshold).utf8.dropFirst(2))  // 56 bits = 14 digits
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Parses a `th` value: 1 to 14 hex digits, right-padded with zeros.
    public init?(thValue: some StringProtocol) {
        let utf8 = Array(thValue.utf8)
        guard (1...14).contains(utf8.count), let value = Hex.decodeUInt64(utf8[...]) else { return nil }
        self.rejectionThreshold = value << (4 * UInt64(14 - utf8.count))
    }

    /// Reads `th` from the `ot` entry of a trace state (`ot=th:c;rv:…`); `nil` when absent or malformed.
    public init?(traceState: TraceState) {
        guard let ot = traceState["ot"] else { return nil }
        for field in ot.split(separator: ";") where field.hasPrefix("th:") {
            self.init(thValue: field.dropFirst(3))
            return
        }
        return nil
    }
}

extension TelemetrySpanData {
    /// How many spans this one represents: `1/p` when its trace state carries a sampling
    /// threshold, otherwise 1.
    public var adjustedCount: Double {
        SamplingThreshold(traceState: traceState)?.adjustedCount ?? 1
    }
}
