/// Makes new trace and span IDs; injected into the tracer so tests can fix them.
public protocol IDGenerator: Sendable {
    /// A new trace ID; implementations must never return the all-zero ID.
    func nextTraceID() -> TraceID

    /// A new span ID; implementations must never return zero.
    func nextSpanID() -> SpanID
}
