import Instrumentation
import ServiceContextModule
import Synchronization
import Tracing

/// A tracer that keeps its spans, so tests can read the events a breaker added.
final class RecordingTracer: Tracer, Sendable {
    final class RecordingSpan: Tracing.Span, Sendable {
        let context: ServiceContext
        let id: Int
        private let state: Mutex<(name: String, events: [Tracing.SpanEvent], attributes: SpanAttributes)>

        init(name: String, context: ServiceContext, id: Int) {
            self.context = context
            self.id = id
            self.state = Mutex((name, [], [:]))
        }

        var operationName: String {
            get { state.withLock { $0.name } }
            set { state.withLock { $0.name = newValue } }
        }

        var attributes: SpanAttributes {
            get { state.withLock { $0.attributes } }
            set { state.withLock { $0.attributes = newValue } }
        }

        var events: [Tracing.SpanEvent] { state.withLock { $0.events } }
        var isRecording: Bool { true }

        func setStatus(_ status: SpanStatus) {}
        func addEvent(_ event: Tracing.SpanEvent) { state.withLock { $0.events.append(event) } }
        func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
        func addLink(_ link: SpanLink) {}
        func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {}
    }

    private enum SpanKey: ServiceContextKey {
        typealias Value = Int
    }

    private let spans = Mutex<[Int: RecordingSpan]>([:])

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> RecordingSpan {
        spans.withLock { spans in
            let id = spans.count + 1
            var context = context()
            context[SpanKey.self] = id
            let span = RecordingSpan(name: operationName, context: context, id: id)
            spans[id] = span
            return span
        }
    }

    func activeSpan(identifiedBy context: ServiceContext) -> RecordingSpan? {
        guard let id = context[SpanKey.self] else { return nil }
        return spans.withLock { $0[id] }
    }

    func forceFlush() {}

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {}
}
