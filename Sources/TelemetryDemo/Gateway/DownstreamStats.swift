import Synchronization

/// Recent calls to one downstream, for the gateway dashboard: mean latency and error rate
/// over the last ``capacity`` calls, and totals since start.
final class DownstreamStats: Sendable {
    struct Snapshot: Sendable {
        var calls: Int
        var failures: Int
        var recentErrorRate: Double
        var recentMeanLatency: Duration
    }

    private struct State {
        var recent: [(latency: Duration, failed: Bool)] = []
        var next = 0
        var calls = 0
        var failures = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 100) {
        self.capacity = max(1, capacity)
    }

    func record(latency: Duration, failed: Bool) {
        state.withLock { state in
            state.calls += 1
            if failed { state.failures += 1 }
            if state.recent.count < capacity {
                state.recent.append((latency, failed))
            } else {
                state.recent[state.next] = (latency, failed)
            }
            state.next = (state.next + 1) % capacity
        }
    }

    func snapshot() -> Snapshot {
        state.withLock { state in
            let count = state.recent.count
            guard count > 0 else { return Snapshot(calls: 0, failures: 0, recentErrorRate: 0, recentMeanLatency: .zero) }
            let failed = state.recent.filter(\.failed).count
            let total = state.recent.reduce(Duration.zero) { $0 + $1.latency }
            return Snapshot(
                calls: state.calls,
                failures: state.failures,
                recentErrorRate: Double(failed) / Double(count),
                recentMeanLatency: total / count
            )
        }
    }
}
