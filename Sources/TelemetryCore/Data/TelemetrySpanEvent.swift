/// A timestamped annotation on a span, such as an `exception`.
public struct TelemetrySpanEvent: Sendable, Hashable {
    public var name: String
    /// Nanoseconds since the Unix epoch.
    public var timeNanos: UInt64
    public var attributes: TelemetryAttributes
    public var droppedAttributesCount: UInt32

    public init(name: String, timeNanos: UInt64, attributes: TelemetryAttributes = TelemetryAttributes(), droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.timeNanos = timeNanos
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
