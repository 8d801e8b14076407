import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every value in memory, so tests can read what the
/// code under test recorded, by label and dimensions.
final class RecordingMetricsFactory: MetricsFactory, Sendable {
    /// A metric's identity: its label and its dimensions, sorted by name.
    struct Key: Hashable, Sendable {
        var label: String
        var dimensions: [String: String]
    }

    final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let values = Mutex<[Int64]>([])
        let total = Mutex<Int64>(0)

        func increment(by amount: Int64) { total.withLock { $0 += amount } }
        func reset() { total.withLock { $0 = 0 } }
        func record(_ value: Int64) { values.withLock { $0.append(value) } }
        func record(_ value: Double) { values.withLock { $0.append(Int64(value)) } }
        func recordNanoseconds(_ duration: Int64) { values.withLock { $0.append(duration) } }
    }

    private let handlers = Mutex<[Key: Handler]>([:])

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Handler {
        let key = Key(label: label, dimensions: Dictionary(dimensions, uniquingKeysWith: { $1 }))
        return handlers.withLock { handlers in
            if let existing = handlers[key] { return existing }
            let created = Handler()
            handlers[key] = created
            return created
        }
    }

    private func existing(_ label: String, _ dimensions: [String: String]) -> Handler? {
        handlers.withLock { $0[Key(label: label, dimensions: dimensions)] }
    }

    /// A counter's total; 0 when it was never created.
    func counter(_ label: String, _ dimensions: [String: String]) -> Int64 {
        existing(label, dimensions)?.total.withLock { $0 } ?? 0
    }

    /// Every value a recorder, gauge or timer received, in order.
    func values(_ label: String, _ dimensions: [String: String]) -> [Int64] {
        existing(label, dimensions)?.values.withLock { $0 } ?? []
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { handler(label, dimensions) }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { handler(label, dimensions) }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { handler(label, dimensions) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
