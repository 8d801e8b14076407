import Instrumentation
import Synchronization
import TelemetryCore
import Tracing

/// A small W3C-propagating tracer that keeps every ended span, for middleware tests.
final class RecordingTracer: Tracer, Sendable {
    struct Finished: Sendable {
        var name: String
        var kind: Tracing.SpanKind
        var context: SpanContext
        var attributes: SpanAttributes
        var status: Tracing.SpanStatus?
        var errors: Int
    }

    private enum ContextKey: ServiceContextKey {
        typealias Value = SpanContext
    }

    private let finishedSpans = Mutex<[Finished]>([])
    private let nextID = Atomic<UInt64>(1)

    var finished: [Finished] { finishedSpans.withLock { $0 } }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: Tracing.SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> RecordingSpan {
        var serviceContext = context()
        let parent = serviceContext[ContextKey.self]
        let id = nextID.add(1, ordering: .relaxed).newValue
        let spanContext = SpanContext(
            traceID: parent?.traceID ?? TraceID(high: 0xABCD, low: id),
            spanID: SpanID(id),
            parentSpanID: parent?.spanID,
            traceFlags: .sampled,
            traceState: parent?.traceState ?? TraceState()
        )
        serviceContext[ContextKey.self] = spanContext
        return RecordingSpan(name: operationName, kind: kind, spanContext: spanContext, context: serviceContext) { [self] span in
            self.finishedSpans.withLock { $0.append(span) }
        }
    }

    func forceFlush() {}

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = header.split(separator: "-")
        guard parts.count == 4, let traceID = TraceID(hexString: parts[1]), let spanID = SpanID(hexString: parts[2]) else { return }
        context[ContextKey.self] = SpanContext(traceID: traceID, spanID: spanID, traceFlags: .sampled, isRemote: true)
    }

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let spanContext = context[ContextKey.self] else { return }
        injector.inject("00-\(spanContext.traceID.hexString)-\(spanContext.spanID.hexString)-01", forKey: "traceparent", into: &carrier)
    }
}

final class RecordingSpan: Span, Sendable {
    private struct State {
        var name: String
        var attributes = SpanAttributes()
        var status: Tracing.SpanStatus?
        var errors = 0
        var ended = false
    }

    let context: ServiceContext
    let kind: Tracing.SpanKind
    let spanContext: SpanContext
    private let state: Mutex<State>
    private let onEnd: @Sendable (RecordingTracer.Finished) -> Void

    init(name: String, kind: Tracing.SpanKind, spanContext: SpanContext, context: ServiceContext, onEnd: @escaping @Sendable (RecordingTracer.Finished) -> Void)
    {
        self.context = context
        self.kind = kind
        self.spanContext = spanContext
        self.state = Mutex(State(name: name))
        self.onEnd = onEnd
    }

    var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { $0.name = newValue } }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    var isRecording: Bool { state.withLock { !$0.ended } }

    func setStatus(_ status: Tracing.SpanStatus) { state.withLock { $0.status = status } }
    func addEvent(_ event: Tracing.SpanEvent) {}
    func addLink(_ link: Tracing.SpanLink) {}

    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        state.withLock { $0.errors += 1 }
    }

    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let finished = state.withLock { state -> RecordingTracer.Finished? in
            guard !state.ended else { return nil }
            state.ended = true
            return .init(name: state.name, kind: kind, context: spanContext, attributes: state.attributes, status: state.status, errors: state.errors)
        }
        if let finished { onEnd(finished) }
    }
}
