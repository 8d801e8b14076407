import TelemetryCore

/// Keeps a share of traces by consistent probability sampling, the same rule the SDK's
/// ratio sampler applies, and records the resulting threshold in `ot=th` so downstream
/// weighting (1/p) stays right when sampling happens twice.
package struct ProbabilisticSampler: SpanProcessorStage {
    /// The `probabilistic_sampler` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// Percentage of traces kept, 0–100 (`sampling_percentage`, default 100).
        package var samplingPercentage: Double = 100
        package static let `default` = Configuration()
    }

    let threshold: SamplingThreshold?

    package init(configuration: Configuration) {
        threshold = SamplingThreshold(probability: configuration.samplingPercentage / 100)
    }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        guard let threshold else { return [] }  // 0%: nothing survives
        if threshold.rejectionThreshold == 0 { return spans }
        var kept: [TelemetrySpanData] = []
        kept.reserveCapacity(spans.count)
        for var span in spans {
            let existing = SamplingThreshold(traceState: span.traceState)
            // A span sampled upstream at a lower rate keeps that stricter threshold.
            let effective = max(existing?.rejectionThreshold ?? 0, threshold.rejectionThreshold)
            guard effective == 0 || Self.randomness(of: span) >= effective else { continue }
            if effective != existing?.rejectionThreshold, let updated = SamplingThreshold(rejectionThreshold: effective) {
                span.traceState.set("ot", Self.otValue(span.traceState["ot"], th: updated.thValue))
            }
            kept.append(span)
        }
        return kept
    }

    /// The explicit `rv` randomness when present, else the trace ID's low 56 bits.
    static func randomness(of span: TelemetrySpanData) -> UInt64 {
        if let ot = span.traceState["ot"] {
            for field in ot.split(separator: ";") where field.hasPrefix("rv:") {
                if let value = UInt64(field.dropFirst(3), radix: 16) { return value }
            }
        }
        return span.traceID.low & (SamplingThreshold.maxAdjustedCount - 1)
    }

    /// `ot` with its `th` field replaced, other fields kept.
    static func otValue(_ current: String?, th: String) -> String {
        var fields = (current ?? "").split(separator: ";").filter { !$0.hasPrefix("th:") }.map(String.init)
        fields.insert("th:\(th)", at: 0)
        return fields.joined(separator: ";")
    }
}
