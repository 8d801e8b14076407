import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every value in memory, keyed by label, so a test can read
/// what a component reported without bootstrapping the process-wide `MetricsSystem`.
final class TestMetricsFactory: MetricsFactory {
    final class Counter: CounterHandler {
        private let value = Mutex<Int64>(0)
        var total: Int64 { value.withLock { $0 } }
        func increment(by amount: Int64) { value.withLock { $0 += amount } }
        func reset() { value.withLock { $0 = 0 } }
    }

    final class Recorder: RecorderHandler {
        private let values = Mutex<[Double]>([])
        var recorded: [Double] { values.withLock { $0 } }
        func record(_ value: Int64) { values.withLock { $0.append(Double(value)) } }
        func record(_ value: Double) { values.withLock { $0.append(value) } }
    }

    final class Timer: TimerHandler {
        func recordNanoseconds(_ duration: Int64) {}
    }

    private let counters = Mutex<[String: Counter]>([:])
    private let recorders = Mutex<[String: Recorder]>([:])

    /// The counter's total; 0 when it was never created.
    func counter(_ label: String) -> Int64 { counters.withLock { $0[label]?.total ?? 0 } }

    /// Every value recorded under `label` (gauges included), oldest first.
    func recorded(_ label: String) -> [Double] { recorders.withLock { $0[label]?.recorded ?? [] } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        counters.withLock { counters in
            if let existing = counters[label] { return existing }
            let counter = Counter()
            counters[label] = counter
            return counter
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        recorders.withLock { recorders in
            if let existing = recorders[label] { return existing }
            let recorder = Recorder()
            recorders[label] = recorder
            return recorder
        }
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { Timer() }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
