import Foundation
import TelemetryCore

/// One step of a pipeline: takes spans, passes on the ones the next step should see.
///
/// A pipeline calls a stage's `process`, `tick` and `drain` one at a time, in order, except
/// for observers (`isObserver`): stages that only read spans and pass every one on
/// unchanged, which the pipeline runs on several batches at once, so they must be safe to
/// call concurrently. Stages that hold spans (batch, tail sampling) release them from
/// `tick` or `drain`.
package protocol SpanProcessorStage: Sendable {
    /// Processes spans that arrived at `now` (nanoseconds since the epoch) and returns the
    /// spans to pass on now.
    func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData]
    /// Called regularly; returns held spans whose time has come.
    func tick(now: UInt64) -> [TelemetrySpanData]
    /// Returns everything still held, for shutdown.
    func drain() -> [TelemetrySpanData]

    /// `process` over batches kept apart (as receivers delivered them), returning non-empty
    /// batches; a stage that holds spans can pass them on without copying them into one array.
    func process(chunks: [[TelemetrySpanData]], now: UInt64) -> [[TelemetrySpanData]]
    /// `tick`, as batches.
    func tickChunks(now: UInt64) -> [[TelemetrySpanData]]
    /// `drain`, as batches.
    func drainChunks() -> [[TelemetrySpanData]]

    /// Whether the stage only reads spans and passes every one on unchanged (metrics, error
    /// and health analysis), so it may see several batches at once.
    var isObserver: Bool { get }

    /// When the oldest span the stage holds arrived (the `now` it was processed at); `nil`
    /// when it holds none. A pipeline with a journal keeps records this old.
    var oldestHeldArrival: UInt64? { get }
}

extension SpanProcessorStage {
    package func tick(now: UInt64) -> [TelemetrySpanData] { [] }
    package func drain() -> [TelemetrySpanData] { [] }

    package func process(chunks: [[TelemetrySpanData]], now: UInt64) -> [[TelemetrySpanData]] {
        chunks.compactMap { chunk in
            let passed = process(chunk, now: now)
            return passed.isEmpty ? nil : passed
        }
    }

    package func tickChunks(now: UInt64) -> [[TelemetrySpanData]] {
        let released = tick(now: now)
        return released.isEmpty ? [] : [released]
    }

    package func drainChunks() -> [[TelemetrySpanData]] {
        let released = drain()
        return released.isEmpty ? [] : [released]
    }

    package var isObserver: Bool { false }

    package var oldestHeldArrival: UInt64? { nil }
}

/// Wall-clock time in nanoseconds since the Unix epoch; injected so tests control time.
package typealias PipelineClock = @Sendable () -> UInt64

package enum WallClock {
    package static let system: PipelineClock = {
        UInt64(max(0, Date().timeIntervalSince1970) * 1e9)
    }
}
