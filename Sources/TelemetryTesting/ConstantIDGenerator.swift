import TelemetryCore

/// Returns the same trace and span ID every time.
public struct ConstantIDGenerator: IDGenerator {
    /// The trace ID returned.
    public let traceID: TraceID
    /// The span ID returned.
    public let spanID: SpanID

    /// Creates a generator of fixed IDs (which must be valid).
    public init(
        traceID: TraceID = TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10),
        spanID: SpanID = SpanID(0x0102_0304_0506_0708)
    ) {
        precondition(traceID.isValid && spanID.isValid, "IDs must not be zero")
        self.traceID = traceID
        self.spanID = spanID
    }

    public func nextTraceID() -> TraceID { traceID }
    public func nextSpanID() -> SpanID { spanID }
}
