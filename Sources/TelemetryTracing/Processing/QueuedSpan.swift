import TelemetryCore

/// A span waiting in ``BatchSpanProcessor``'s queue: one reference either way, so enqueueing
/// writes a single word rather than a whole ``TelemetrySpanData`` into a slot the export task last
/// touched on the other core.
enum QueuedSpan: Sendable {
    /// Handed over as data by callers of the `TelemetrySpanData` overload of `onEnd`;
    /// boxed to keep the queue slots one reference wide.
    indirect case data(TelemetrySpanData)
    /// Ended by our tracer; its data is built when the batch is taken, on the export task.
    case ended(RecordingSpan)

    /// The exported form.
    consuming func makeData() -> TelemetrySpanData {
        switch consume self {
        case .data(let data): data
        case .ended(let span): span.takeData()
        }
    }
}
