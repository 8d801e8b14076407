import Synchronization
import TelemetryCore

/// Holds each trace for `decision_wait`, then keeps it when any policy matches: a span
/// with a listed status (errors by default), a trace at or over a latency threshold, the
/// trace's consistent probability draw, a string or numeric attribute, or every policy of
/// an `and`. Spans of an already-decided trace follow its decision.
///
/// Traces come from incoming data, so what is held is bounded twice: at most `num_traces`
/// traces and `max_bytes` estimated bytes. Past either bound the oldest traces are decided
/// early (by the same policies, on the spans they have so far), counted in
/// `pipeline_tail_sampling_early_decisions_total{reason}`. Remembered decisions are bounded
/// by `decision_cache`.
package final class TailSamplingProcessor: SpanProcessorStage {
    /// One policy, in the Collector's vocabulary.
    package indirect enum Policy: Sendable, Equatable {
        /// `type: status_code` with `status_codes: [ERROR]`, the default.
        case errors
        /// `type: status_code` with other `status_codes` (`OK`, `UNSET`, `ERROR`).
        case statusCodes(Set<StatusCode>)
        /// `type: latency` with `threshold_ms`: from the trace's first start to its last end.
        case latency(Duration)
        /// `type: probabilistic` with `sampling_percentage`.
        case probabilistic(Double)
        /// `type: string_attribute` with `key` and `values`: a span or its resource has the
        /// attribute with one of the values; `invert_match` keeps traces where none has.
        case stringAttribute(key: String, values: Set<String>, invert: Bool)
        /// `type: numeric_attribute` with `key`, `min_value` and `max_value` (inclusive).
        case numericAttribute(key: String, min: Double, max: Double)
        /// `type: and` with `and_sub_policy`: every sub-policy matches.
        case and([Policy])
        /// `type: always_sample`.
        case always
    }

    /// A span status as `status_code` policies name it.
    package enum StatusCode: String, Sendable, Hashable, CaseIterable {
        case ok = "OK"
        case unset = "UNSET"
        case error = "ERROR"

        init(_ status: TelemetrySpanStatus) {
            switch status {
            case .unset: self = .unset
            case .ok: self = .ok
            case .error: self = .error
            }
        }
    }

    /// The `tail_sampling` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// How long a trace is held after its first span (`decision_wait`, default 5s).
        package var decisionWait: Duration = .seconds(5)
        /// Most traces held; beyond it the oldest are decided early (`num_traces`, default 50000).
        package var numTraces = 50_000
        /// Most estimated bytes of held spans; beyond it the oldest traces are decided early
        /// (`max_bytes`, default 128 MiB: 50 000 traces of about 2.6 kB each).
        package var maxBytes = 128 << 20
        /// Decisions remembered for late spans of kept traces
        /// (`decision_cache.sampled_cache_size`, default 50000).
        package var sampledCacheSize = 50_000
        /// Decisions remembered for late spans of dropped traces
        /// (`decision_cache.non_sampled_cache_size`, default 50000).
        package var nonSampledCacheSize = 50_000
        /// Policies, ORed (`policies`, default: keep errors only).
        package var policies: [Policy] = [.errors]
        package static let `default` = Configuration()
    }

    private struct Pending {
        var firstArrival: UInt64
        var spans: [TelemetrySpanData]
        var bytes: Int
    }

    private struct State {
        var pending: [TraceID: Pending] = [:]
        var order = TraceArrivalOrder()
        var heldBytes = 0
        var sampled: DecisionCache
        var notSampled: DecisionCache
    }

    let configuration: Configuration
    private let state: Mutex<State>
    /// Traces decided before `decision_wait` because a bound was reached, by bound.
    let earlyDecisions: MetricFamily?

    package init(configuration: Configuration, registry: MetricRegistry? = nil) {
        self.configuration = configuration
        state = Mutex(
            State(
                sampled: DecisionCache(capacity: configuration.sampledCacheSize),
                notSampled: DecisionCache(capacity: configuration.nonSampledCacheSize)))
        earlyDecisions = registry?.counter(
            "pipeline_tail_sampling_early_decisions_total",
            help: "Traces decided before decision_wait because the processor held num_traces traces or max_bytes bytes.",
            labels: ["reason"])
    }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        var forcedByCount = 0, forcedByBytes = 0
        let out = state.withLock { state in
            var out: [TelemetrySpanData] = []
            var lastResource: UnsafeRawPointer?
            for span in spans {
                if state.sampled.contains(span.traceID) {
                    out.append(span)
                    continue
                }
                if state.notSampled.contains(span.traceID) { continue }
                var bytes = span.estimatedHeldBytes
                // A resource is shared by the spans of one request, so it is counted once per
                // run of spans that share it: generous, and a client sending one span per
                // request with a large resource each cannot slip past `max_bytes`.
                let resource = span.resource.attributes.elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
                if resource == nil || resource != lastResource { bytes += span.resource.estimatedHeldBytes }
                lastResource = resource
                state.heldBytes += bytes
                if state.pending[span.traceID] == nil {
                    state.pending[span.traceID] = Pending(firstArrival: now, spans: [span], bytes: bytes)
                    state.order.append(span.traceID)
                } else {
                    state.pending[span.traceID]?.spans.append(span)
                    state.pending[span.traceID]?.bytes += bytes
                }
            }
            while state.pending.count > configuration.numTraces, let oldest = state.order.removeFirst() {
                out += decide(oldest, in: &state)
                forcedByCount += 1
            }
            while state.heldBytes > configuration.maxBytes, let oldest = state.order.removeFirst() {
                out += decide(oldest, in: &state)
                forcedByBytes += 1
            }
            return out
        }
        if let earlyDecisions, forcedByCount + forcedByBytes > 0 {
            earlyDecisions.update(now: now) { updater in
                if forcedByCount > 0 { updater.add(Double(forcedByCount), ["num_traces"]) }
                if forcedByBytes > 0 { updater.add(Double(forcedByBytes), ["max_bytes"]) }
            }
        }
        return out
    }

    package func tick(now: UInt64) -> [TelemetrySpanData] {
        let wait = configuration.decisionWait.saturatingNanoseconds
        return state.withLock { state in
            var out: [TelemetrySpanData] = []
            while let first = state.order.first {
                guard let pending = state.pending[first] else {
                    _ = state.order.removeFirst()
                    continue
                }
                guard now &- pending.firstArrival >= wait else { break }
                _ = state.order.removeFirst()
                out += decide(first, in: &state)
            }
            return out
        }
    }

    package func drain() -> [TelemetrySpanData] {
        state.withLock { state in
            var out: [TelemetrySpanData] = []
            for id in state.order.removeAll() { out += decide(id, in: &state) }
            return out
        }
    }

    package var oldestHeldArrival: UInt64? {
        state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            return state.order.first.flatMap { state.pending[$0]?.firstArrival } ?? state.pending.values.map(\.firstArrival).min()
        }
    }

    /// Traces and estimated bytes held now.
    var held: (traces: Int, bytes: Int) { state.withLock { ($0.pending.count, $0.heldBytes) } }

    /// Decisions remembered now, kept and dropped.
    var rememberedDecisions: (sampled: Int, notSampled: Int) { state.withLock { ($0.sampled.count, $0.notSampled.count) } }

    private func decide(_ id: TraceID, in state: inout State) -> [TelemetrySpanData] {
        guard let pending = state.pending.removeValue(forKey: id) else { return [] }
        state.heldBytes -= pending.bytes
        let keep = shouldKeep(pending.spans)
        if keep { state.sampled.insert(id) } else { state.notSampled.insert(id) }
        return keep ? pending.spans : []
    }

    func shouldKeep(_ spans: [TelemetrySpanData]) -> Bool {
        configuration.policies.contains { Self.matches($0, spans) }
    }

    static func matches(_ policy: Policy, _ spans: [TelemetrySpanData]) -> Bool {
        switch policy {
        case .always:
            return true
        case .errors:
            return spans.contains { $0.status.isError }
        case .statusCodes(let codes):
            return spans.contains { codes.contains(StatusCode($0.status)) }
        case .latency(let threshold):
            guard let start = spans.lazy.map(\.startTimeNanos).min(), let end = spans.lazy.map(\.endTimeNanos).max(), end >= start
            else { return false }
            return end - start >= UInt64(threshold.nanoseconds)
        case .probabilistic(let percentage):
            guard let threshold = SamplingThreshold(probability: percentage / 100), let first = spans.first else { return false }
            return threshold.shouldSample(randomness: ProbabilisticSampler.randomness(of: first))
        case .stringAttribute(let key, let values, let invert):
            let found = spans.contains { span in
                guard let value = (span.attributes[key] ?? span.resource.attributes[key])?.stringValue else { return false }
                return values.contains(value)
            }
            return found != invert
        case .numericAttribute(let key, let min, let max):
            return spans.contains { span in
                guard let value = Self.number(span.attributes[key] ?? span.resource.attributes[key]) else { return false }
                return value >= min && value <= max
            }
        case .and(let policies):
            return !policies.isEmpty && policies.allSatisfy { matches($0, spans) }
        }
    }

    private static func number(_ value: TelemetryAttributeValue?) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
