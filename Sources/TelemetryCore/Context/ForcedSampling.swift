import ServiceContextModule

/// The `ServiceContext` key that asks the tracer to record and sample a new root span
/// whatever its sampler decides.
///
/// Meant for rare, small reports that the trace stream must carry at any sampling ratio,
/// such as a circuit breaker's state changes: the pipeline rebuilds breaker state from them,
/// so a 1 % sampler must not drop nine in ten. Such a span is a root of its own trace and
/// carries `ot=th:0` (probability 1), so it counts once. Tracers other than this SDK's
/// ignore the key and sample the span like any other.
public enum ForcedSamplingKey: ServiceContextKey {
    public typealias Value = Bool
    public static var nameOverride: String? { "telemetry-forced-sampling" }
}

extension ServiceContext {
    /// Whether spans started from this context as roots are sampled regardless of the sampler.
    public var forcesSampling: Bool {
        get { self[ForcedSamplingKey.self] ?? false }
        set { self[ForcedSamplingKey.self] = newValue ? true : nil }
    }

    /// A top-level context whose root spans are always recorded and sampled.
    public static var forcedSamplingRoot: ServiceContext {
        var context = ServiceContext.topLevel
        context.forcesSampling = true
        return context
    }
}
