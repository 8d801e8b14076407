/// Which sampler to build, as `OTEL_TRACES_SAMPLER` names them.
public enum SamplerConfiguration: Sendable, Hashable {
    case alwaysOn
    case alwaysOff
    case traceIDRatio(Double)
    case parentBasedAlwaysOn
    case parentBasedAlwaysOff
    case parentBasedTraceIDRatio(Double)

    /// OpenTelemetry's default: `parentbased_always_on`.
    public static let `default` = SamplerConfiguration.parentBasedAlwaysOn

    /// Builds the sampler.
    public func makeSampler() -> any Sampler {
        switch self {
        case .alwaysOn: AlwaysOnSampler()
        case .alwaysOff: AlwaysOffSampler()
        case .traceIDRatio(let ratio): TraceIDRatioSampler(probability: ratio)
        case .parentBasedAlwaysOn: ParentBasedSampler(root: AlwaysOnSampler())
        case .parentBasedAlwaysOff: ParentBasedSampler(root: AlwaysOffSampler())
        case .parentBasedTraceIDRatio(let ratio): ParentBasedSampler(root: TraceIDRatioSampler(probability: ratio))
        }
    }
}
