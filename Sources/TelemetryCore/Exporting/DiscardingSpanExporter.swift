/// Accepts every batch and keeps nothing: what `OTEL_TRACES_EXPORTER=none` selects, and what a
/// process that only propagates context (or exports only when configured) runs with.
public struct DiscardingSpanExporter: SpanExporter {
    public init() {}

    public func export(_ batch: [TelemetrySpanData]) async throws {}
}
