import Synchronization
import TelemetryCore

/// Groups spans into batches of `send_batch_size`, or whatever arrived within `timeout`.
///
/// It holds the arrays it was given and releases them as they are, splitting one only when
/// `send_batch_max_size` cuts through it, so batching copies no spans.
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
        var chunks: [[TelemetrySpanData]] = []
        var count = 0
        var oldestArrival: UInt64 = 0
        /// When the oldest span held arrived; unlike `oldestArrival` (the timeout's start) it
        /// does not move while a remainder of an earlier batch is still held.
        var heldSince: UInt64 = 0

        /// Removes and returns the first `limit` spans held, as whole arrays where possible.
        mutating func takeFirst(_ limit: Int) -> [[TelemetrySpanData]] {
            guard limit < count else {
                defer { chunks = []; count = 0 }
                return chunks
            }
            var taken: [[TelemetrySpanData]] = []
            var remaining = limit
            while remaining > 0 {
                if chunks[0].count <= remaining {
                    remaining -= chunks[0].count
                    taken.append(chunks.removeFirst())
                } else {
                    taken.append(Array(chunks[0].prefix(remaining)))
                    chunks[0].removeFirst(remaining)
                    remaining = 0
                }
            }
            count -= limit
            return taken
        }
    }

    let configuration: Configuration
    private let state = Mutex(State())

    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        Self.joined(process(chunks: [spans], now: now))
    }

    package func tick(now: UInt64) -> [TelemetrySpanData] { Self.joined(tickChunks(now: now)) }

    package func drain() -> [TelemetrySpanData] { Self.joined(drainChunks()) }

    package func process(chunks: [[TelemetrySpanData]], now: UInt64) -> [[TelemetrySpanData]] {
        state.withLock { state in
            if state.count == 0 {
                state.oldestArrival = now
                state.heldSince = now
            }
            for chunk in chunks where !chunk.isEmpty {
                state.chunks.append(chunk)
                state.count += chunk.count
            }
            guard state.count >= configuration.sendBatchSize else { return [] }
            let limit = configuration.sendBatchMaxSize > 0 ? configuration.sendBatchMaxSize : Int.max
            state.oldestArrival = now
            return state.takeFirst(max(limit, configuration.sendBatchSize))
        }
    }

    package var oldestHeldArrival: UInt64? {
        state.withLock { $0.count > 0 ? $0.heldSince : nil }
    }

    package func tickChunks(now: UInt64) -> [[TelemetrySpanData]] {
        state.withLock { state in
            guard state.count > 0,
                now &- state.oldestArrival >= UInt64(configuration.timeout.nanoseconds)
            else { return [] }
            return state.takeFirst(state.count)
        }
    }

    package func drainChunks() -> [[TelemetrySpanData]] {
        state.withLock { state in state.takeFirst(state.count) }
    }

    private static func joined(_ chunks: [[TelemetrySpanData]]) -> [TelemetrySpanData] {
        chunks.count == 1 ? chunks[0] : Array(chunks.joined())
    }
}
