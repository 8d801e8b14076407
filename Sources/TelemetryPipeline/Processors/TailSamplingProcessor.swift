import Synchronization
import TelemetryCore

/// Holds each trace for `decision_wait`, then keeps it when any policy matches: a span
/// with a listed status (errors by default), a trace at or over a latency threshold, the
/// trace's consistent probability draw, a string or numeric attribute, or every policy of
/// an `and`. Spans of an already-decided trace follow its decision.
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

        init(_ status: SpanStatus) {
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
        /// Policies, ORed (`policies`, default: keep errors only).
        package var policies: [Policy] = [.errors]
        package static let `default` = Configuration()
    }

    private struct Pending {
        var firstArrival: UInt64
        var spans: [SpanData]
    }

    private struct State {
        var pending: [TraceID: Pending] = [:]
        var order: [TraceID] = []
        var decided: [TraceID: Bool] = [:]
        var decidedOrder: [TraceID] = []
    }

    let configuration: Configuration
    private let state = Mutex(State())

    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        state.withLock { state in
            var out: [SpanData] = []
            for span in spans {
                if let keep = state.decided[span.traceID] {
                    if keep { out.append(span) }
                    continue
                }
                if state.pending[span.traceID] == nil {
                    state.pending[span.traceID] = Pending(firstArrival: now, spans: [span])
                    state.order.append(span.traceID)
                } else {
                    state.pending[span.traceID]!.spans.append(span)
                }
            }
            while state.pending.count > configuration.numTraces, !state.order.isEmpty {
                out += decide(state.order.removeFirst(), in: &state)
            }
            return out
        }
    }

    package func tick(now: UInt64) -> [SpanData] {
        let wait = UInt64(configuration.decisionWait.nanoseconds)
        return state.withLock { state in
            var out: [SpanData] = []
            while let first = state.order.first {
                guard let pending = state.pending[first] else {
                    state.order.removeFirst()
                    continue
                }
                guard now &- pending.firstArrival >= wait else { break }
                state.order.removeFirst()
                out += decide(first, in: &state)
            }
            return out
        }
    }

    package func drain() -> [SpanData] {
        state.withLock { state in
            var out: [SpanData] = []
            for id in state.order { out += decide(id, in: &state) }
            state.order = []
            return out
        }
    }

    private func decide(_ id: TraceID, in state: inout State) -> [SpanData] {
        guard let pending = state.pending.removeValue(forKey: id) else { return [] }
        let keep = shouldKeep(pending.spans)
        state.decided[id] = keep
        state.decidedOrder.append(id)
        // Remember decisions for late spans, but boundedly.
        if state.decidedOrder.count > configuration.numTraces * 2 {
            let excess = state.decidedOrder.count - configuration.numTraces
            for old in state.decidedOrder.prefix(excess) { state.decided[old] = nil }
            state.decidedOrder.removeFirst(excess)
        }
        return keep ? pending.spans : []
    }

    func shouldKeep(_ spans: [SpanData]) -> Bool {
        configuration.policies.contains { Self.matches($0, spans) }
    }

    static func matches(_ policy: Policy, _ spans: [SpanData]) -> Bool {
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

    private static func number(_ value: AttributeValue?) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}
