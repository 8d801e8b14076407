/// A reference from one span to another, possibly in another trace.
public struct TelemetrySpanLink: Sendable, Hashable {
    public var context: SpanContext
    public var attributes: TelemetryAttributes
    public var droppedAttributesCount: UInt32

    public init(context: SpanContext, attributes: TelemetryAttributes = TelemetryAttributes(), droppedAttributesCount: UInt32 = 0) {
        self.context = context
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
