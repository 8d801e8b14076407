import TelemetryCore
import Tracing

/// The tracer: a swift-distributed-tracing `Tracer`, so `withSpan`, Hummingbird's tracing
/// middleware and AsyncHTTPClient's tracing record through it unchanged.
///
/// It samples at span start, records sampled spans, and hands ended spans to its processor.
/// Install it with `InstrumentationSystem.bootstrap(_:)`, or use ``TelemetryBootstrap``.
public final class TelemetryTracer: Tracer {
    public typealias Span = TelemetrySpan

    /// How the tracer samples, names and limits spans.
    public struct Configuration: Sendable {
        /// The sampler. Default `parentbased_always_on` (`OTEL_TRACES_SAMPLER`).
        public var sampler: any Sampler
        /// Where new IDs come from. Default: ``RandomIDGenerator``.
        public var idGenerator: any IDGenerator
        /// The resource every span carries. Default: `unknown_service:swift` and the SDK attributes.
        public var resource: TelemetryResource
        /// The instrumentation scope every span carries. Default `swift-telemetry`.
        public var scope: TelemetryInstrumentationScope
        /// Per-span caps. Default: OpenTelemetry's 128s.
        public var spanLimits: SpanLimits
        /// Whether `baggage` headers are injected and extracted. Default `true`.
        public var propagatesBaggage: Bool

        /// Creates a configuration.
        public init(
            sampler: any Sampler = ParentBasedSampler(root: AlwaysOnSampler()),
            idGenerator: any IDGenerator = RandomIDGenerator.shared,
            resource: TelemetryResource = TelemetryResource(serviceName: nil),
            scope: TelemetryInstrumentationScope = TelemetryInstrumentationScope(name: "swift-telemetry", version: TelemetryResource.sdkVersion),
            spanLimits: SpanLimits = .default,
            propagatesBaggage: Bool = true
        ) {
            self.sampler = sampler
            self.idGenerator = idGenerator
            self.resource = resource
            self.scope = scope
            self.spanLimits = spanLimits
            self.propagatesBaggage = propagatesBaggage
        }

        /// The defaults listed on each property.
        public static let `default` = Configuration()
    }

    let sampler: any Sampler
    let idGenerator: any IDGenerator
    let processor: any SpanProcessor
    let resource: TelemetryResource
    let scope: TelemetryInstrumentationScope
    let spanLimits: SpanLimits
    let propagatesBaggage: Bool
    /// Whether the sampler always drops children of unsampled parents (every `parentbased_*`
    /// sampler with its default delegates), so the tracer can skip asking it on that hot path.
    let dropsChildrenOfUnsampledParents: Bool

    /// Creates a tracer that hands ended spans to `processor`.
    public init(processor: any SpanProcessor, configuration: Configuration = .default) {
        self.processor = processor
        self.sampler = configuration.sampler
        self.idGenerator = configuration.idGenerator
        self.resource = configuration.resource
        self.scope = configuration.scope
        self.spanLimits = configuration.spanLimits
        self.propagatesBaggage = configuration.propagatesBaggage
        if let parentBased = configuration.sampler as? ParentBasedSampler {
            dropsChildrenOfUnsampledParents =
                parentBased.remoteParentNotSampled is AlwaysOffSampler
                && parentBased.localParentNotSampled is AlwaysOffSampler
        } else {
            dropsChildrenOfUnsampledParents = configuration.sampler is AlwaysOffSampler
        }
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: Tracing.SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> TelemetrySpan {
        let parentContext = context()
        // A top-level context holds nothing, so skip the lookup (a hash and a dynamic cast).
        let parentCarrier = parentContext.isEmpty ? nil : parentContext[SpanContextKey.self]
        if dropsChildrenOfUnsampledParents, let parentCarrier, !parentCarrier.spanContext.isSampled {
            // The sampler's verdict is known; only the span's own ID is new. A non-recording
            // span still gets one, so whatever it calls sees it, not its parent, as the parent.
            // Fields are read through the carrier rather than from a copy of its context.
            let spanContext = SpanContext(
                traceID: parentCarrier.spanContext.traceID,
                spanID: idGenerator.nextSpanID(),
                parentSpanID: parentCarrier.spanContext.spanID,
                traceFlags: parentCarrier.spanContext.traceFlags,
                traceState: parentCarrier.spanContext.traceState
            )
            return TelemetrySpan(nonRecording: spanContext, parent: parentContext)
        }
        let parent = parentCarrier?.spanContext
        let traceID = parent?.traceID ?? idGenerator.nextTraceID()
        let coreKind = TelemetrySpanKind(kind)
        // Only a root can be forced: a child follows its trace's decision.
        let result =
            parent == nil && !parentContext.isEmpty && parentContext.forcesSampling
            ? Self.forcedResult
            : sampler.shouldSample(SamplingParameters(parent: parent, traceID: traceID, name: operationName, kind: coreKind))

        // New traces get random IDs, which W3C Level 2 advertises with the `random` flag.
        var flags = parent?.traceFlags ?? .random
        if result.decision.isSampled { flags.insert(.sampled) } else { flags.remove(.sampled) }
        let spanContext = SpanContext(
            traceID: traceID,
            spanID: idGenerator.nextSpanID(),
            parentSpanID: parent?.spanID,
            traceFlags: flags,
            traceState: result.traceState
        )

        guard result.decision.isRecording else {
            return TelemetrySpan(nonRecording: spanContext, parent: parentContext)
        }
        let span = RecordingSpan(
            name: operationName,
            spanContext: spanContext,
            kind: coreKind,
            startTimeNanos: instant().nanosecondsSinceEpoch,
            parentContext: parentContext,
            tracer: self
        )
        return TelemetrySpan(recording: span)
    }

    /// Sampled with probability 1, said so in the trace state so the pipeline weighs it 1.
    static let forcedResult: SamplingResult = {
        var traceState = TraceState()
        traceState.set("ot", "th:" + SamplingThreshold.alwaysSample.thValue)
        return SamplingResult(decision: .recordAndSample, traceState: traceState)
    }()

    public func activeSpan(identifiedBy context: ServiceContext) -> TelemetrySpan? {
        guard let span = context[SpanContextKey.self] as? RecordingSpan, span.isRecording else { return nil }
        return TelemetrySpan(recording: span)
    }

    /// Does nothing: flushing is asynchronous; call the processor's `forceFlush()` instead.
    public func forceFlush() {}
}
