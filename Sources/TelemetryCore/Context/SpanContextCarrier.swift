import Tracing

/// The object a `ServiceContext` holds for the current span: a live span subclasses it, a
/// remote parent (or any context without a live span) uses it as it is.
///
/// A class rather than a protocol: a child span reads its parent's IDs straight from the
/// carrier, without copying a whole `SpanContext` out through a protocol requirement. (The
/// lookup itself costs the same either way; the runtime caches the conformance check.) Being a
/// single reference, it fits inline in the context's storage, so putting a span into a context
/// allocates nothing.
open class SpanContextCarrier: @unchecked Sendable {
    /// The span's context; immutable, which is what makes sharing the carrier safe.
    public let spanContext: SpanContext

    /// Carries `spanContext`.
    public init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}

/// The `ServiceContext` key under which the current span (or a remote parent) lives.
public enum SpanContextKey: ServiceContextKey {
    public typealias Value = SpanContextCarrier
    public static var nameOverride: String? { "telemetry-span-context" }
}

extension ServiceContext {
    /// The context of the current span, or of the remote parent extracted from a request.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self]?.spanContext }
        set { self[SpanContextKey.self] = newValue.map { SpanContextCarrier($0) } }
    }
}
