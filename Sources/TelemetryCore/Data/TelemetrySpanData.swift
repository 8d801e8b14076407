/// A finished span: the one value that flows from the SDK through every pipeline stage
/// to every exporter. Receivers decode into it and exporters encode from it.
public struct TelemetrySpanData: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// `nil` for a root span.
    public var parentSpanID: SpanID?
    public var traceFlags: TraceFlags
    /// Carries `ot=th:…` when the span was sampled by probability.
    public var traceState: TraceState
    public var name: String
    public var kind: TelemetrySpanKind
    /// Nanoseconds since the Unix epoch.
    public var startTimeNanos: UInt64
    /// Nanoseconds since the Unix epoch; never before `startTimeNanos`.
    public var endTimeNanos: UInt64
    public var attributes: TelemetryAttributes
    public var events: [TelemetrySpanEvent]
    public var links: [TelemetrySpanLink]
    public var status: TelemetrySpanStatus
    public var resource: TelemetryResource
    public var scope: TelemetryInstrumentationScope
    public var droppedAttributesCount: UInt32
    public var droppedEventsCount: UInt32
    public var droppedLinksCount: UInt32

    public init(
        traceID: TraceID,
        spanID: SpanID,
        parentSpanID: SpanID? = nil,
        traceFlags: TraceFlags = .sampled,
        traceState: TraceState = TraceState(),
        name: String,
        kind: TelemetrySpanKind = .internal,
        startTimeNanos: UInt64,
        endTimeNanos: UInt64,
        attributes: TelemetryAttributes = TelemetryAttributes(),
        events: [TelemetrySpanEvent] = [],
        links: [TelemetrySpanLink] = [],
        status: TelemetrySpanStatus = .unset,
        resource: TelemetryResource = TelemetryResource(),
        scope: TelemetryInstrumentationScope = TelemetryInstrumentationScope(name: ""),
        droppedAttributesCount: UInt32 = 0,
        droppedEventsCount: UInt32 = 0,
        droppedLinksCount: UInt32 = 0
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.name = name
        self.kind = kind
        self.startTimeNanos = startTimeNanos
        self.endTimeNanos = endTimeNanos
        self.attributes = attributes
        self.events = events
        self.links = links
        self.status = status
        self.resource = resource
        self.scope = scope
        self.droppedAttributesCount = droppedAttributesCount
        self.droppedEventsCount = droppedEventsCount
        self.droppedLinksCount = droppedLinksCount
    }

    /// The span's own context (as a child or a link would see it).
    public var context: SpanContext {
        SpanContext(traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, traceFlags: traceFlags, traceState: traceState)
    }

    /// Duration in nanoseconds (zero if the end precedes the start).
    public var durationNanos: UInt64 {
        endTimeNanos >= startTimeNanos ? endTimeNanos - startTimeNanos : 0
    }
}
