import Synchronization
import TelemetryCore
import Tracing

/// A sampled (or record-only) span: mutable state behind a `Mutex`, ended exactly once
/// (`@unchecked` only because `Sendable` must be restated on a subclass; all state is in the `Mutex`).
///
/// It does not store its own `ServiceContext`: the context holds the span, so storing it here
/// would form a retain cycle. ``TelemetrySpan/context`` builds it on demand from the parent's.
final class RecordingSpan: SpanContextCarrier, @unchecked Sendable {
    let kind: TelemetrySpanKind
    let startTimeNanos: UInt64
    let parentContext: ServiceContext
    let tracer: TelemetryTracer
    private let state: Mutex<State>

    struct State {
        var name: String
        var attributes: SpanAttributes
        var events: [TelemetrySpanEvent] = []
        var links: [TelemetrySpanLink] = []
        var status: TelemetrySpanStatus = .unset
        var droppedEventsCount: UInt32 = 0
        var droppedLinksCount: UInt32 = 0
        var isEnded = false
        var endTimeNanos: UInt64 = 0
    }

    init(
        name: String,
        spanContext: SpanContext,
        kind: TelemetrySpanKind,
        startTimeNanos: UInt64,
        parentContext: ServiceContext,
        tracer: TelemetryTracer
    ) {
        self.kind = kind
        self.startTimeNanos = startTimeNanos
        self.parentContext = parentContext
        self.tracer = tracer
        self.state = Mutex(State(name: name, attributes: .empty))
        super.init(spanContext)
    }

    var limits: SpanLimits { tracer.spanLimits }

    var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { if !$0.isEnded { $0.name = newValue } } }
    }

    var isRecording: Bool { state.withLock { !$0.isEnded } }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { if !$0.isEnded { $0.attributes = newValue } } }
    }

    /// Moves the attributes out for an in-place edit, leaving an empty set behind; pair with
    /// ``restoreAttributes(_:)``. The first edit reserves room for a typical span's attributes,
    /// so a handful of inserts costs one allocation rather than one per growth step.
    func takeAttributes() -> SpanAttributes {
        let moved: SpanAttributes? = state.withLock { state in
            guard !state.isEnded else { return nil }
            var taken = SpanAttributes.empty
            swap(&taken, &state.attributes)
            return taken
        }
        // After `end()` the edit goes nowhere: hand out an empty set without room reserved.
        guard var taken = moved else { return .empty }
        if taken.isEmpty {
            // Allocated here, outside the lock, and through a dictionary this module specialises:
            // `SpanAttributes.reserveCapacity` runs Dictionary's unspecialised generic code,
            // which looks up type metadata at run time on every call.
            taken = SpanAttributes([String: SpanAttribute](minimumCapacity: 8))
        }
        return taken
    }

    /// Puts edited attributes back; anything another writer set in between is merged rather
    /// than lost, and after `end()` the edit is discarded.
    func restoreAttributes(_ attributes: consuming SpanAttributes) {
        var edited = attributes
        state.withLock { state in
            guard !state.isEnded else { return }
            if !state.attributes.isEmpty { edited.merge(state.attributes) }
            swap(&edited, &state.attributes)
        }
    }

    func setStatus(_ status: Tracing.SpanStatus) {
        state.withLock { state in
            guard !state.isEnded else { return }
            switch (state.status, status.code) {
            case (.ok, _):
                return  // OK is final, as OpenTelemetry specifies.
            case (_, .ok):
                state.status = .ok
            case (_, .error):
                state.status = .error(description: status.message)
            }
        }
    }

    func addEvent(_ event: TelemetrySpanEvent) {
        state.withLock { state in
            guard !state.isEnded else { return }
            if state.events.count < limits.eventCountLimit {
                state.events.append(event)
            } else {
                state.droppedEventsCount += 1
            }
        }
    }

    func addLink(_ link: TelemetrySpanLink) {
        state.withLock { state in
            guard !state.isEnded else { return }
            if state.links.count < limits.linkCountLimit {
                state.links.append(link)
            } else {
                state.droppedLinksCount += 1
            }
        }
    }

    /// Ends the span once; later calls do nothing.
    ///
    /// Only marks the span ended and hands it to the processor: its exported form is built by
    /// ``takeData()``, which a batching processor calls off this thread.
    func end(atNanos endNanos: UInt64) {
        let ended: Bool = state.withLock { state in
            guard !state.isEnded else { return false }
            state.isEnded = true
            state.endTimeNanos = max(endNanos, startTimeNanos)
            return true
        }
        guard ended else { return }
        tracer.processor.onEnd(EndedSpan(self))
    }

    /// The ended span's exported form. The recorded contents move into it and only the name
    /// stays behind, so their memory is released even while children keep this span alive
    /// through their parent context.
    func takeData() -> TelemetrySpanData {
        let taken: State = state.withLock { state in
            var ended = State(name: state.name, attributes: .empty)
            ended.isEnded = true
            ended.endTimeNanos = state.endTimeNanos
            swap(&ended, &state)
            return ended
        }
        let (attributes, droppedAttributes) = taken.attributes.converted(
            countLimit: limits.attributeCountLimit,
            lengthLimit: limits.attributeValueLengthLimit
        )
        return TelemetrySpanData(
            traceID: spanContext.traceID,
            spanID: spanContext.spanID,
            parentSpanID: spanContext.parentSpanID,
            traceFlags: spanContext.traceFlags,
            traceState: spanContext.traceState,
            name: taken.name,
            kind: kind,
            startTimeNanos: startTimeNanos,
            endTimeNanos: taken.endTimeNanos,
            attributes: attributes,
            events: taken.events,
            links: taken.links,
            status: taken.status,
            resource: tracer.resource,
            scope: tracer.scope,
            droppedAttributesCount: droppedAttributes,
            droppedEventsCount: taken.droppedEventsCount,
            droppedLinksCount: taken.droppedLinksCount
        )
    }
}
