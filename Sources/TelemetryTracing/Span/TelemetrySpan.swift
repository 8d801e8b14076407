import TelemetryCore
import Tracing

/// A span started by ``TelemetryTracer``: recording when sampled, otherwise a no-op that only
/// carries the trace context onward.
///
/// A value type over either a recording span object or just a context, so an unsampled span
/// costs no allocation at all when its parent already carries the trace's context.
public struct TelemetrySpan: Tracing.Span {
    enum Storage: Sendable {
        case recording(RecordingSpan)
        case nonRecording(ServiceContext)
    }

    let storage: Storage

    init(recording span: RecordingSpan) {
        storage = .recording(span)
    }

    init(nonRecording context: ServiceContext) {
        storage = .nonRecording(context)
    }

    /// The context to pass to children and to inject into outgoing requests.
    public var context: ServiceContext {
        switch storage {
        case .recording(let span):
            var context = span.parentContext
            context[SpanContextKey.self] = span
            return context
        case .nonRecording(let context):
            return context
        }
    }

    /// This span's IDs, flags and trace state; `nil` only for a non-recording span whose
    /// context carries no trace.
    public var spanContext: SpanContext? {
        switch storage {
        case .recording(let span): span.spanContext
        case .nonRecording(let context): context.spanContext
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
            case .nonRecording: [:]
            }
        }
        nonmutating set {
            if case .recording(let span) = storage { span.attributes = newValue }
        }
        nonmutating _modify {
            switch storage {
            case .recording(let span):
                yield &span.attributes
            case .nonRecording:
                var discarded: SpanAttributes = [:]
                yield &discarded
            }
        }
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
            TelemetryCore.SpanEvent(
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
            TelemetryCore.SpanEvent(
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
        span.addLink(TelemetryCore.SpanLink(context: linked, attributes: attributes, droppedAttributesCount: dropped))
    }

    /// Ends the span; only the first call has an effect.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard case .recording(let span) = storage else { return }
        span.end(atNanos: instant().nanosecondsSinceEpoch)
    }
}
