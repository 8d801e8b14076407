import Synchronization
import TelemetryCore

/// Decides when a pipeline's journal records may go: a record is needed until every span
/// derived from it was acknowledged by a backend or counted as dropped.
///
/// Spans do not carry their record's number, so the pipeline tracks a low watermark instead,
/// conservatively: records reach the pipeline in sequence order; a stage that holds spans
/// (batch, tail sampling) reports when the oldest thing it holds arrived, which maps back to
/// the lowest record that could still be in the pipeline then; everything the pipeline hands
/// an exporter is tagged with that floor and held until the request is settled. The journal
/// may drop every record below the lowest of these.
package final class PipelineDurability: Sendable {
    /// What a receiver's record holds, as received: 0 OTLP protobuf, 1 OTLP JSON, 2 Jaeger
    /// thrift, 3 Zipkin JSON, 4 Zipkin protobuf.
    package enum RecordFormat {
        package static let otlpProtobuf: UInt8 = 0
        package static let otlpJSON: UInt8 = 1
        package static let jaegerThrift: UInt8 = 2
        package static let zipkinJSON: UInt8 = 3
        package static let zipkinProtobuf: UInt8 = 4
    }

    private struct State {
        /// Sequence numbers of records in the pipeline's queue, oldest first.
        var queued: [UInt64] = []
        var queuedHead = 0
        /// Every record below this has been through the pipeline's stateless part.
        var finishedBelow: UInt64
        /// The lowest record the pipeline may still hold.
        var floor: UInt64
        /// When each recent iteration ran and the floor it started with.
        var iterations: [(now: UInt64, floor: UInt64)] = []
    }

    package let journal: IntakeJournal
    let holds = ExportHolds()
    /// Turns a replayed record back into spans; `nil` when it cannot be decoded.
    let decode: @Sendable (UInt8, [UInt8]) -> [TelemetrySpanData]?
    private let state: Mutex<State>

    package init(journal: IntakeJournal, decode: @escaping @Sendable (UInt8, [UInt8]) -> [TelemetrySpanData]?) {
        self.journal = journal
        self.decode = decode
        let start = journal.replayRange.lowerBound
        state = Mutex(State(finishedBelow: start, floor: start))
    }

    /// Notes a record entering the pipeline's queue; called in sequence order.
    func enqueued(_ sequence: UInt64) {
        state.withLock { $0.queued.append(sequence) }
    }

    /// Undoes the last `enqueued` when the queue refused the record.
    func refused() {
        state.withLock { _ = $0.queued.popLast() }
    }

    /// Starts an iteration that took `taken` records from the queue; returns the tag for
    /// everything handed to exporters during it.
    func beginIteration(now: UInt64, taken: Int) -> UInt64 {
        state.withLock { state in
            if taken > 0 {
                let last = min(state.queuedHead + taken, state.queued.count) - 1
                if last >= state.queuedHead { state.finishedBelow = max(state.finishedBelow, state.queued[last] + 1) }
                state.queuedHead = last + 1
                if state.queuedHead >= 1_024, state.queuedHead * 2 >= state.queued.count {
                    state.queued.removeFirst(state.queuedHead)
                    state.queuedHead = 0
                }
            }
            state.iterations.append((now, state.floor))
            return state.floor
        }
    }

    /// Ends an iteration: recomputes the floor from what the stages hold and releases the
    /// journal below the lowest record anything still needs.
    func endIteration(oldestHeldArrival: UInt64?) {
        let floor = state.withLock { state -> UInt64 in
            var floor = state.finishedBelow
            if let oldest = oldestHeldArrival {
                // Held since an iteration already pruned cannot happen, but if it did, the
                // oldest floor still known is the safe answer.
                let index = state.iterations.firstIndex { $0.now >= oldest } ?? 0
                if index < state.iterations.count { floor = min(floor, state.iterations[index].floor) }
                state.iterations.removeFirst(index)
            } else {
                state.iterations.removeAll(keepingCapacity: true)
            }
            state.floor = floor
            return floor
        }
        journal.release(below: min(floor, holds.lowest ?? .max))
    }
}

/// Requests handed to exporters and not yet settled, counted by the tag they carry.
package final class ExportHolds: Sendable {
    private let counts = Mutex<[UInt64: Int]>([:])

    func retain(_ tag: UInt64) {
        counts.withLock { $0[tag, default: 0] += 1 }
    }

    func release(_ tag: UInt64) {
        counts.withLock { counts in
            guard let count = counts[tag] else { return }
            counts[tag] = count > 1 ? count - 1 : nil
        }
    }

    /// The lowest tag still held.
    var lowest: UInt64? { counts.withLock { $0.keys.min() } }
}

/// A claim on journal records, carried by an exporter request until it is delivered or
/// dropped; `nil` where the pipeline has no journal.
package struct DurabilityHold: Sendable {
    let holds: ExportHolds
    let tag: UInt64

    func retain() { holds.retain(tag) }
    func release() { holds.release(tag) }
}
