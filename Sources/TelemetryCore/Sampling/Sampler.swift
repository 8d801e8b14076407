/// Decides, when a span starts, whether it is recorded and exported.
///
/// Samplers run on every span start, so implementations should be cheap and lock-free.
public protocol Sampler: Sendable {
    /// The decision for a span about to start.
    func shouldSample(_ parameters: SamplingParameters) -> SamplingResult

    /// A short description for logs, such as `ParentBased{root=TraceIDRatio{0.1}}`.
    var description: String { get }
}

/// What a sampler knows about a span about to start.
public struct SamplingParameters: Sendable {
    /// The parent's context, local or remote; `nil` for a root span.
    public var parent: SpanContext?
    /// The trace ID the span will have (the parent's, or a new one for a root).
    public var traceID: TraceID
    /// The span's name.
    public var name: String
    /// The span's kind.
    public var kind: TelemetrySpanKind

    /// Creates sampling parameters.
    public init(parent: SpanContext?, traceID: TraceID, name: String, kind: TelemetrySpanKind) {
        self.parent = parent
        self.traceID = traceID
        self.name = name
        self.kind = kind
    }
}

/// A sampler's verdict.
public enum SamplingDecision: Sendable, Hashable {
    /// Not recorded, not exported; the span is a cheap no-op that only propagates context.
    case drop
    /// Recorded (visible to processors) but not marked sampled, so exporters skip it.
    case recordOnly
    /// Recorded and marked sampled.
    case recordAndSample

    /// Whether the span records data.
    public var isRecording: Bool { self != .drop }

    /// Whether the span is sampled.
    public var isSampled: Bool { self == .recordAndSample }
}

/// A sampler's decision plus the trace state the new span carries.
public struct SamplingResult: Sendable, Hashable {
    /// The decision.
    public var decision: SamplingDecision
    /// The trace state for the new span; usually the parent's, possibly with `ot=th:` updated.
    public var traceState: TraceState

    /// Creates a result.
    public init(decision: SamplingDecision, traceState: TraceState = TraceState()) {
        self.decision = decision
        self.traceState = traceState
    }
}
