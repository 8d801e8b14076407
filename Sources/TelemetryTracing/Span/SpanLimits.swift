/// Caps on what one span may hold; anything past a cap is dropped and counted.
public struct SpanLimits: Sendable, Hashable {
    /// Attributes per span. Default 128 (`OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT` in OpenTelemetry).
    public var attributeCountLimit: Int
    /// Characters kept of a string attribute value (also each element of a string array).
    /// Default `nil`, unlimited (`OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`).
    public var attributeValueLengthLimit: Int?
    /// Events per span. Default 128 (`OTEL_SPAN_EVENT_COUNT_LIMIT`).
    public var eventCountLimit: Int
    /// Links per span. Default 128 (`OTEL_SPAN_LINK_COUNT_LIMIT`).
    public var linkCountLimit: Int
    /// Attributes per event. Default 128 (`OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`).
    public var attributePerEventCountLimit: Int
    /// Attributes per link. Default 128 (`OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`).
    public var attributePerLinkCountLimit: Int

    /// Creates limits; every count must be non-negative.
    public init(
        attributeCountLimit: Int = 128,
        attributeValueLengthLimit: Int? = nil,
        eventCountLimit: Int = 128,
        linkCountLimit: Int = 128,
        attributePerEventCountLimit: Int = 128,
        attributePerLinkCountLimit: Int = 128
    ) {
        self.attributeCountLimit = max(0, attributeCountLimit)
        self.attributeValueLengthLimit = attributeValueLengthLimit.map { max(0, $0) }
        self.eventCountLimit = max(0, eventCountLimit)
        self.linkCountLimit = max(0, linkCountLimit)
        self.attributePerEventCountLimit = max(0, attributePerEventCountLimit)
        self.attributePerLinkCountLimit = max(0, attributePerLinkCountLimit)
    }

    /// OpenTelemetry's defaults: 128 of everything, unlimited value length.
    public static let `default` = SpanLimits()
}
