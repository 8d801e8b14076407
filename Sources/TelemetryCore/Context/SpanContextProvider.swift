import Tracing

/// An object that carries a span's context inside a `ServiceContext`.
///
/// Stored as a class existential, a live span fits inline in the context's storage, so putting
/// a span into a context costs no extra allocation; remote contexts use a small box.
public protocol SpanContextProvider: AnyObject, Sendable {
    /// The span's context.
    var spanContext: SpanContext { get }
}

/// The `ServiceContext` key under which the current span (or a remote parent) lives.
public enum SpanContextKey: ServiceContextKey {
    public typealias Value = any SpanContextProvider
    public static var nameOverride: String? { "telemetry-span-context" }
}

/// An immutable holder for a span context that no live span owns: a remote parent, or a
/// span that was not sampled.
public final class SpanContextBox: SpanContextProvider {
    public let spanContext: SpanContext

    /// Boxes `spanContext`.
    public init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}

extension ServiceContext {
    /// The context of the current span, or of the remote parent extracted from a request.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self]?.spanContext }
        set { self[SpanContextKey.self] = newValue.map { SpanContextBox($0) } }
    }
}
