import TelemetryCore

/// A span that has just ended, handed to a ``SpanProcessor`` before its exported form is built.
///
/// Building a ``TelemetrySpanData`` (converting every attribute, copying resource and scope) is most of
/// what ending a span costs. A processor that queues spans can hold on to the ended span and
/// build that form later, off the thread that called `end()`; one that needs the data at once
/// calls ``makeData()``. Not copyable, so the data is built at most once.
public struct EndedSpan: ~Copyable, Sendable {
    let span: RecordingSpan

    init(_ span: RecordingSpan) {
        self.span = span
    }

    /// Whether the span was sampled; only sampled spans are exported.
    public var isSampled: Bool { span.spanContext.isSampled }

    /// The span's exported form. Its recorded attributes, events and links move into it.
    public consuming func makeData() -> TelemetrySpanData {
        span.takeData()
    }
}
