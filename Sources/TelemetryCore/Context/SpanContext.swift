/// The part of a span that crosses process boundaries: IDs, flags and trace state.
public struct SpanContext: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID
    /// The parent's span ID, or `nil` for a root span.
    public var parentSpanID: SpanID?
    public var traceFlags: TraceFlags
    public var traceState: TraceState
    /// Whether this context was extracted from a remote caller rather than created here.
    public var isRemote: Bool

    public init(
        traceID: TraceID,
        spanID: SpanID,
        parentSpanID: SpanID? = nil,
        traceFlags: TraceFlags = [],
        traceState: TraceState = TraceState(),
        isRemote: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// Whether both IDs are valid.
    public var isValid: Bool { traceID.isValid && spanID.isValid }

    /// Whether the sampled flag is set.
    public var isSampled: Bool { traceFlags.contains(.sampled) }
}
