import Synchronization
import TelemetryCore

/// Groups spans into batches of `send_batch_size`, or whatever arrived within `timeout`.
package final class BatchProcessor: SpanProcessorStage {
    /// The `batch` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// Spans that trigger a send (`send_batch_size`, default 8192).
        package var sendBatchSize = 8192
        /// Largest batch sent; 0 for no limit (`send_batch_max_size`, default 0).
        package var sendBatchMaxSize = 0
        /// Longest a span waits for its batch to fill (`timeout`, default 200ms).
        package var timeout: Duration = .milliseconds(200)
        package static let `default` = Configuration()
    }

    private struct State {
        var buffer: [SpanData] = []
        var oldestArrival: UInt64 = 0
    }

    let configuration: Configuration
    private let state = Mutex(State())

    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        state.withLock { state in
            if state.buffer.isEmpty { state.oldestArrival = now }
            state.buffer.append(contentsOf: spans)
            guard state.buffer.count >= configuration.sendBatchSize else { return [] }
            let limit = configuration.sendBatchMaxSize > 0 ? configuration.sendBatchMaxSize : Int.max
            let take = min(state.buffer.count, max(limit, configuration.sendBatchSize))
            let out = Array(state.buffer.prefix(take))
            state.buffer.removeFirst(take)
            state.oldestArrival = now
            return out
        }
    }

    package func tick(now: UInt64) -> [SpanData] {
        state.withLock { state in
            guard !state.buffer.isEmpty,
                  now &- state.oldestArrival >= UInt64(configuration.timeout.nanoseconds)
            else { return [] }
            defer { state.buffer = [] }
            return state.buffer
        }
    }

    package func drain() -> [SpanData] {
        state.withLock { state in
            defer { state.buffer = [] }
            return state.buffer
        }
    }
}
