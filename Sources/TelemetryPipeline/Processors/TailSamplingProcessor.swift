import Synchronization
import TelemetryCore

/// Holds each trace for `decision_wait`, then keeps it when any policy matches: a span
/// with error status, a span at or over a latency threshold, or the trace's consistent
/// probability draw. Spans of an already-decided trace follow its decision.
package final class TailSamplingProcessor: SpanProcessorStage {
    /// One policy, in the Collector's vocabulary.
    package enum Policy: Sendable, Equatable {
        /// `type: status_code` with `status_codes: [ERROR]`.
        case errors
        /// `type: latency` with `threshold_ms`.
        case latency(Duration)
        /// `type: probabilistic` with `sampling_percentage`.
        case probabilistic(Double)
        /// `type: always_sample`.
        case always
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
        for policy in configuration.policies {
            switch policy {
            case .always:
                return true
            case .errors:
                if spans.contains(where: { $0.status.isError }) { return true }
            case .latency(let threshold):
                let nanos = UInt64(threshold.nanoseconds)
                let start = spans.map(\.startTimeNanos).min() ?? 0
                let end = spans.map(\.endTimeNanos).max() ?? 0
                if end &- start >= nanos, end >= start { return true }
            case .probabilistic(let percentage):
                if let threshold = SamplingThreshold(probability: percentage / 100), let first = spans.first,
                   threshold.shouldSample(randomness: ProbabilisticSampler.randomness(of: first))
                {
                    return true
                }
            }
        }
        return false
    }
}
