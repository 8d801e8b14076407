import ServiceLifecycle
import TelemetryCore

/// Receives every recorded span as it ends and passes sampled ones to an exporter.
///
/// A processor is a `Service`: its background work (batching, exporting) runs in `run()` inside
/// the application's `ServiceGroup`, and graceful shutdown drains it.
public protocol SpanProcessor: Service {
    /// Receives a finished span as data; must neither block nor suspend. The span is handed
    /// over (`consuming`), so a processor that keeps it can move it rather than copy it.
    func onEnd(_ span: consuming TelemetrySpanData)

    /// Called synchronously from `span.end()`; must neither block nor suspend. The default
    /// builds the span's data at once and passes it to the `TelemetrySpanData` overload; a processor
    /// that queues spans can keep the ended span and build its data later, off the caller's
    /// thread.
    func onEnd(_ span: consuming EndedSpan)

    /// Exports everything received so far and returns once the exporter has it.
    func forceFlush() async throws
}

extension SpanProcessor {
    public func onEnd(_ span: consuming EndedSpan) {
        onEnd(span.makeData())
    }
}
