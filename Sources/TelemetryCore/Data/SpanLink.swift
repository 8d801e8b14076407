/// A reference from one span to another, possibly in another trace.
public struct SpanLink: Sendable, Hashable {
    public var context: SpanContext
    public var attributes: Attributes
    public var droppedAttributesCount: UInt32

    public init(context: SpanContext, attributes: Attributes = Attributes(), droppedAttributesCount: UInt32 = 0) {
        self.context = context
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
