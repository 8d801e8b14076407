import Synchronization
import TelemetryCore

/// Keeps every exported span in memory, for assertions in tests.
public final class InMemorySpanExporter: SpanExporter {
    private struct State {
        var spans: [TelemetrySpanData] = []
        var batchSizes: [Int] = []
        var flushCount = 0
        var isShutdown = false
    }

    private let state = Mutex(State())

    /// Creates an empty exporter.
    public init() {}

    public func export(_ batch: [TelemetrySpanData]) async throws {
        state.withLock { state in
            state.spans.append(contentsOf: batch)
            state.batchSizes.append(batch.count)
        }
    }

    public func forceFlush() async throws {
        state.withLock { $0.flushCount += 1 }
    }

    public func shutdown() async {
        state.withLock { $0.isShutdown = true }
    }

    /// Every span exported so far, in export order.
    public var spans: [TelemetrySpanData] { state.withLock { $0.spans } }

    /// The size of each batch received, in order.
    public var batchSizes: [Int] { state.withLock { $0.batchSizes } }

    /// How many times `forceFlush()` was called.
    public var flushCount: Int { state.withLock { $0.flushCount } }

    /// Whether `shutdown()` was called.
    public var isShutdown: Bool { state.withLock { $0.isShutdown } }

    /// Forgets every span received so far.
    public func reset() {
        state.withLock { $0 = State() }
    }
}
