/// The W3C `trace-flags` byte.
public struct TraceFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The span was sampled: its data is recorded and exported.
    public static let sampled = TraceFlags(rawValue: 0x01)
    /// W3C Trace Context Level 2: the trace ID's low 56 bits are random.
    public static let random = TraceFlags(rawValue: 0x02)
}
