import ServiceLifecycle
import TelemetryCore

/// Exports each sampled span on its own, in the order spans end; for tests and debugging.
///
/// `span.end()` only enqueues; `run()` does the exporting, so the caller never waits on the
/// exporter. Graceful shutdown exports everything queued before `run()` returns.
public final class SimpleSpanProcessor: SpanProcessor {
    private enum Event: Sendable {
        case span(TelemetrySpanData)
        case flush(CheckedContinuation<Void, Never>)
    }

    private let exporter: any SpanExporter
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    /// Creates a processor exporting to `exporter`.
    public init(exporter: any SpanExporter) {
        self.exporter = exporter
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
    }

    public func onEnd(_ span: consuming TelemetrySpanData) {
        guard span.traceFlags.contains(.sampled) else { return }
        continuation.yield(.span(span))
    }

    /// Waits until every span ended before this call has been exported; needs `run()` running.
    public func forceFlush() async throws {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            if case .terminated = continuation.yield(.flush(waiter)) { waiter.resume() }
        }
        try await exporter.forceFlush()
    }

    public func run() async throws {
        let exporter = self.exporter
        let events = self.events
        await withGracefulShutdownHandler {
            // Finishing the stream on shutdown still delivers what is buffered, then ends the loop.
            for await event in events {
                switch event {
                case .span(let span):
                    try? await exporter.export([span])
                case .flush(let waiter):
                    waiter.resume()
                }
            }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
        continuation.finish()
        try? await exporter.forceFlush()
        await exporter.shutdown()
    }
}
