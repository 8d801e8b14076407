/// Samples no span (`always_off`).
public struct AlwaysOffSampler: Sampler {
    /// Creates the sampler.
    public init() {}

    public func shouldSample(_ parameters: SamplingParameters) -> SamplingResult {
        SamplingResult(decision: .drop, traceState: parameters.parent?.traceState ?? TraceState())
    }

    public var description: String { "AlwaysOffSampler" }
}
