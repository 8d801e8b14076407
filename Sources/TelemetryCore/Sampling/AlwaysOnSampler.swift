/// Samples every span (`always_on`).
public struct AlwaysOnSampler: Sampler {
    /// Creates the sampler.
    public init() {}

    public func shouldSample(_ parameters: SamplingParameters) -> SamplingResult {
        SamplingResult(decision: .recordAndSample, traceState: parameters.parent?.traceState ?? TraceState())
    }

    public var description: String { "AlwaysOnSampler" }
}
