/// Consistent probability sampling (`traceidratio`): keeps a trace when the low 56 bits of its
/// trace ID reach the rejection threshold, as W3C Trace Context Level 2 and OpenTelemetry define.
///
/// Every service using the same probability makes the same decision for a trace, and a kept
/// span carries `ot=th:<threshold>` in its trace state so downstream consumers can weight it
/// by `1/p`. An explicit `ot=rv:` randomness value in the parent's trace state is used instead
/// of the trace ID when present.
public struct TraceIDRatioSampler: Sampler {
    /// The threshold derived from the probability.
    public let threshold: SamplingThreshold
    /// The requested probability, in `[0, 1]`.
    public let probability: Double

    /// Creates a sampler keeping `probability` of traces; 0 keeps none, values are clamped to `[0, 1]`.
    public init(probability: Double) {
        let clamped = probability.isNaN ? 0 : min(max(probability, 0), 1)
        self.probability = clamped
        // A zero probability has no threshold below 2^56; rejecting everything is handled apart.
        self.threshold = SamplingThreshold(probability: clamped) ?? SamplingThreshold(rejectionThreshold: SamplingThreshold.maxAdjustedCount - 1)!
    }

    public func shouldSample(_ parameters: SamplingParameters) -> SamplingResult {
        var traceState = parameters.parent?.traceState ?? TraceState()
        guard probability > 0 else { return SamplingResult(decision: .drop, traceState: traceState) }
        let randomness = Self.randomness(traceState: traceState) ?? parameters.traceID.low
        guard threshold.shouldSample(randomness: randomness) else {
            return SamplingResult(decision: .drop, traceState: traceState)
        }
        traceState.setOTelField("th", threshold.thValue)
        return SamplingResult(decision: .recordAndSample, traceState: traceState)
    }

    public var description: String { "TraceIDRatioSampler{\(probability)}" }

    /// The explicit `rv` randomness of an `ot` entry: exactly 14 hex digits.
    static func randomness(traceState: TraceState) -> UInt64? {
        guard let ot = traceState["ot"] else { return nil }
        for field in ot.split(separator: ";") where field.hasPrefix("rv:") {
            let digits = Array(field.utf8.dropFirst(3))
            guard digits.count == 14 else { return nil }
            return Hex.decodeUInt64(digits[...])
        }
        return nil
    }
}

extension TraceState {
    /// Sets one `key:value` field inside the `ot` entry, keeping its other fields.
    mutating func setOTelField(_ key: String, _ value: String) {
        var fields: [Substring] = []
        if let existing = self["ot"] {
            fields = existing.split(separator: ";").filter { !$0.hasPrefix("\(key):") }
        }
        let entry = (["\(key):\(value)"] + fields.map(String.init)).joined(separator: ";")
        set("ot", entry)
    }
}
