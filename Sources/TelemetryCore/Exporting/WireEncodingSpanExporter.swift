/// A batch of spans in an exporter's wire form: the request bodies it will send, each with
/// the number of spans it carries.
public struct EncodedSpanBatch: Sendable {
    /// One request body.
    public struct Body: Sendable {
        public var bytes: [UInt8]
        public var spanCount: Int

        public init(bytes: [UInt8], spanCount: Int) {
            self.bytes = bytes
            self.spanCount = spanCount
        }
    }

    public var bodies: [Body]

    public init(bodies: [Body]) {
        self.bodies = bodies
    }

    /// The spans in all bodies.
    public var spanCount: Int { bodies.reduce(0) { $0 + $1.spanCount } }
}

/// An exporter that can encode a batch ahead of sending it.
///
/// A queue that holds batches for a while, as a pipeline's sending queue does through a
/// backend outage, can then hold each as a few contiguous buffers instead of millions of small
/// span values: less memory while it waits, and memory the allocator can give back once the
/// backend drains it. `export(encode(batch))` must deliver what `export(batch)` does.
public protocol WireEncodingSpanExporter: SpanExporter {
    /// The request bodies `export(_:)` would send for `batch`.
    func encode(_ batch: [TelemetrySpanData]) -> EncodedSpanBatch
    /// Sends bodies made by ``encode(_:)``, as `export(_:)` sends a batch.
    func export(encoded batch: EncodedSpanBatch) async throws
}
