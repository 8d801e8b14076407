import TelemetryCore
import Tracing

/// A span started by ``TelemetryTracer``: recording when sampled, otherwise a no-op that only
/// carries the trace context onward.
///
/// A value type over either a recording span object or, for a span that is not recorded, just
/// the parent's context and the span's own IDs, so starting and ending an unsampled span
/// allocates nothing.
public struct TelemetrySpan: Tracing.Span {
    enum Storage: Sendable {
        case recording(RecordingSpan)
        /// The parent's context and this span's own context; the child context that carries it
        /// is only built when someone asks for ``TelemetrySpan/context``.
        case nonRecording(parent: ServiceContext, spanContext: SpanContext)
    }

    let storage: Storage

    init(recording span: RecordingSpan) {
        storage = .recording(span)
    }

    init(nonRecording spanContext: SpanContext, parent: ServiceContext) {
        storage = .nonRecording(parent: parent, spanContext: spanContext)
    }

    /// The context to pass to children and to inject into outgoing requests.
    public var context: ServiceContext {
        switch storage {
        case .recording(let span):
            var context = span.parentContext
            context[SpanContextKey.self] = span
            return context
        case .nonRecording(let parent, let spanContext):
            var context = parent
            context.spanContext = spanContext
            return context
        }
    }

    /// This span's IDs, flags and trace state. Every span the tracer starts has one; the
    /// optional is kept for callers written against spans that may carry none.
    public var spanContext: SpanContext? {
        switch storage {
        case .recording(let span): span.spanContext
        case .nonRecording(_, let spanContext): spanContext
        }
    }

    public var operationName: String {
        get {
            switch storage {
            case .recording(let span): span.operationName
            case .nonRecording: ""
            }
        }
        nonmutating set {
            if case .recording(let span) = storage { span.operationName = newValue }
        }
    }

    public var attributes: SpanAttributes {
        get {
            switch storage {
            case .recording(let span): span.attributes
            case .nonRecording: .empty
            }
        }
        nonmutating set {
            if case .recording(let span) = storage { span.attributes = newValue }
        }
        nonmutating _modify {
            // One flat coroutine, not one forwarding to another: the frame of a nested one
            // outgrows the caller's fixed buffer and costs a heap allocation per attribute set.
            // The attributes are moved out under the lock and mutated unlocked, so the caller
            // owns the only reference and inserting never copies the dictionary.
            guard let span = recordingSpan else {
                var discarded = SpanAttributes.empty
                yield &discarded
                return
            }
            var taken = span.takeAttributes()
            defer { span.restoreAttributes(taken) }
            yield &taken
        }
    }

    /// The recording span, if any. Kept out of line so the `_modify` coroutine's frame holds
    /// one reference rather than a copy of the whole storage, which would not fit the caller's
    /// fixed coroutine buffer and would cost a heap allocation per attribute set.
    @inline(never)
    var recordingSpan: RecordingSpan? {
        if case .recording(let span) = storage { return span }
        return nil
    }

    public var isRecording: Bool {
        switch storage {
        case .recording(let span): span.isRecording
        case .nonRecording: false
        }
    }

    public func setStatus(_ status: Tracing.SpanStatus) {
        if case .recording(let span) = storage { span.setStatus(status) }
    }

    public func addEvent(_ event: Tracing.SpanEvent) {
        guard case .recording(let span) = storage else { return }
        let limits = span.limits
        let (attributes, dropped) = event.attributes.converted(
            countLimit: limits.attributePerEventCountLimit,
            lengthLimit: limits.attributeValueLengthLimit
        )
        span.addEvent(
            TelemetrySpanEvent(
                name: event.name,
                timeNanos: event.nanosecondsSinceEpoch,
                attributes: attributes,
                droppedAttributesCount: dropped
            )
        )
    }

    /// Records `error` as an `exception` event with `exception.type` and `exception.message`.
    /// The status is left alone; `withSpan` sets it to error when the operation throws.
    public func recordError<Instant: TracerInstant>(
        _ error: any Error,
        attributes: SpanAttributes,
        at instant: @autoclosure () -> Instant
    ) {
        guard case .recording(let span) = storage else { return }
        var all = attributes
        all["exception.type"] = String(reflecting: type(of: error))
        all["exception.message"] = String(describing: error)
        let limits = span.limits
        let (converted, dropped) = all.converted(
            countLimit: limits.attributePerEventCountLimit,
            lengthLimit: limits.attributeValueLengthLimit
        )
        span.addEvent(
            TelemetrySpanEvent(
                name: "exception",
                timeNanos: instant().nanosecondsSinceEpoch,
                attributes: converted,
                droppedAttributesCount: dropped
            )
        )
    }

    public func addLink(_ link: Tracing.SpanLink) {
        guard case .recording(let span) = storage, let linked = link.context.spanContext else { return }
        let limits = span.limits
        let (attributes, dropped) = link.attributes.converted(
            countLimit: limits.attributePerLinkCountLimit,
            lengthLimit: limits.attributeValueLengthLimit
        )
        span.addLink(TelemetrySpanLink(context: linked, attributes: attributes, droppedAttributesCount: dropped))
    }

    /// Ends the span; only the first call has an effect.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard case .recording(let span) = storage else { return }
        span.end(atNanos: instant().nanosecondsSinceEpoch)
    }
}
