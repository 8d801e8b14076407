/// Ships finished spans somewhere: a backend, a file, memory.
///
/// Processors call `export` from one task at a time, with batches they own.
public protocol SpanExporter: Sendable {
    /// Sends one batch. Throwing means the batch was not delivered (after any retries).
    func export(_ batch: [TelemetrySpanData]) async throws

    /// Delivers anything the exporter buffers itself.
    func forceFlush() async throws

    /// Releases resources; later exports fail.
    func shutdown() async
}

extension SpanExporter {
    public func forceFlush() async throws {}
    public func shutdown() async {}
}
