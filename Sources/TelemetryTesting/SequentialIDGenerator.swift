import Synchronization
import TelemetryCore

/// Counts up from 1: trace IDs `…0001`, `…0002`, span IDs likewise, so tests can predict them.
public final class SequentialIDGenerator: IDGenerator {
    private let traces = Atomic<UInt64>(0)
    private let spans = Atomic<UInt64>(0)

    /// Creates a generator whose first trace and span IDs are 1.
    public init() {}

    public func nextTraceID() -> TraceID {
        TraceID(high: 0, low: traces.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    public func nextSpanID() -> SpanID {
        SpanID(spans.wrappingAdd(1, ordering: .relaxed).newValue)
    }
}
