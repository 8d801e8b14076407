import Foundation
import TelemetryCore

/// One step of a pipeline: takes spans, passes on the ones the next step should see.
///
/// A pipeline runs its stages from a single task, in order, so a stage sees one call at a
/// time; stages that hold spans (batch, tail sampling) release them from `tick` or `drain`.
package protocol SpanProcessorStage: Sendable {
    /// Processes spans that arrived at `now` (nanoseconds since the epoch) and returns the
    /// spans to pass on now.
    func process(_ spans: [SpanData], now: UInt64) -> [SpanData]
    /// Called regularly; returns held spans whose time has come.
    func tick(now: UInt64) -> [SpanData]
    /// Returns everything still held, for shutdown.
    func drain() -> [SpanData]
}

extension SpanProcessorStage {
    package func tick(now: UInt64) -> [SpanData] { [] }
    package func drain() -> [SpanData] { [] }
}

/// Wall-clock time in nanoseconds since the Unix epoch; injected so tests control time.
package typealias PipelineClock = @Sendable () -> UInt64

package enum WallClock {
    package static let system: PipelineClock = {
        UInt64(max(0, Date().timeIntervalSince1970) * 1e9)
    }
}
