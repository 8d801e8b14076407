import ServiceLifecycle
import TelemetryCore

/// Receives every recorded span as it ends and passes sampled ones to an exporter.
///
/// A processor is a `Service`: its background work (batching, exporting) runs in `run()` inside
/// the application's `ServiceGroup`, and graceful shutdown drains it.
public protocol SpanProcessor: Service {
    /// Called synchronously from `span.end()`; must neither block nor suspend. The span is
    /// handed over (`consuming`), so a processor that keeps it can move it rather than copy it.
    func onEnd(_ span: consuming SpanData)

    /// Exports everything received so far and returns once the exporter has it.
    func forceFlush() async throws
}
