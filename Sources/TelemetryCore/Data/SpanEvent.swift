/// A timestamped annotation on a span, such as an `exception`.
public struct SpanEvent: Sendable, Hashable {
    public var name: String
    /// Nanoseconds since the Unix epoch.
    public var timeNanos: UInt64
    public var attributes: Attributes
    public var droppedAttributesCount: UInt32

    public init(name: String, timeNanos: UInt64, attributes: Attributes = Attributes(), droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.timeNanos = timeNanos
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
