import Dispatch
import Foundation
import Logging
import Synchronization

/// A pipeline's write-ahead journal: every request a receiver accepts is appended here, and
/// the receiver answers only once the group commit covering its record is on disk. Records
/// are numbered in arrival order; the pipeline releases them (``release(below:)``) once every
/// span derived from them was delivered or counted as dropped, and replays the rest after a
/// restart.
///
/// Group commit: appends only copy into a buffer under a lock; one writer thread writes the
/// buffer and calls `fdatasync` once for everything that arrived while the previous sync ran,
/// so concurrent requests share a sync instead of queueing behind one each.
package final class IntakeJournal: Sendable {
    package struct Configuration: Sendable {
        /// Directory of this journal's segments.
        package var directory: String
        /// Most bytes held on disk and in the write buffer; appends beyond it are refused.
        package var maxBytes: Int
        /// Whether each group commit ends with `fdatasync`.
        package var fsync = true
        /// Size at which a new segment file is started.
        package var segmentBytes = 16 << 20

        package init(directory: String, maxBytes: Int, fsync: Bool = true, segmentBytes: Int = 16 << 20) {
            self.directory = directory
            self.maxBytes = maxBytes
            self.fsync = fsync
            self.segmentBytes = segmentBytes
        }
    }

    package enum AppendResult: Sendable, Equatable {
        case accepted(sequence: UInt64)
        /// The journal holds `maxBytes`; nothing was appended.
        case full
        /// Replay is still running, the journal is closed, or the caller declined.
        case refused
    }

    private struct State {
        var buffer: [UInt8] = []
        var bufferFirst: UInt64 = 0
        var bufferLast: UInt64 = 0
        var bufferRecords = 0
        var nextSequence: UInt64
        var diskBytes: Int
        var writingBytes = 0
        /// Every record below this is on disk.
        var durableBelow: UInt64
        var failed: Range<UInt64>?
        var waiters: [(sequence: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var releaseBelow: UInt64
        var replaying: Bool
        var closing = false
        var closed = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var commits = Commits()
    }

    /// Group commits so far: how many, the records they carried and the time they took.
    package struct Commits: Sendable, Equatable {
        package var count = 0
        package var records = 0
        package var seconds = 0.0
    }

    package let configuration: Configuration
    /// Records found at start-up that were not yet released, to replay.
    package let replayRange: Range<UInt64>
    /// What the start-up scan found, corrupt records included.
    let recovery: SegmentLog.Recovery
    private let replaySegments: [SegmentLog.Segment]
    private let state: Mutex<State>
    private let log: Mutex<SegmentLog>
    private let wake = DispatchSemaphore(value: 0)
    private let logger: Logger

    /// Opens the journal, scanning what a previous run left; a corrupt or truncated tail is
    /// skipped and logged, never fatal. Throws only when the directory cannot be used.
    package init(configuration: Configuration, logger: Logger) throws {
        let log = try SegmentLog(directory: configuration.directory, segmentBytes: configuration.segmentBytes)
        self.configuration = configuration
        self.logger = logger
        recovery = log.recovery
        replayRange = log.acknowledged..<max(log.acknowledged, log.nextSequence)
        replaySegments = log.segments
        state = Mutex(
            State(
                nextSequence: log.nextSequence, diskBytes: log.totalBytes, durableBelow: log.nextSequence,
                releaseBelow: log.acknowledged, replaying: !replayRange.isEmpty))
        self.log = Mutex(log)
        if recovery.corruptRecords > 0 {
            logger.warning(
                "journal: skipped a corrupt or truncated tail",
                metadata: [
                    "directory": "\(configuration.directory)", "corrupt_segments": "\(recovery.corruptRecords)",
                    "skipped_bytes": "\(recovery.skippedBytes)", "records_kept": "\(recovery.records)",
                ])
        }
        Thread.detachNewThread { [self] in writeLoop() }
    }

    /// Bytes on disk and waiting to be written.
    package var size: Int { state.withLock { $0.diskBytes + $0.writingBytes + $0.buffer.count } }

    /// Group commits so far.
    package var commits: Commits { state.withLock { $0.commits } }

    /// Whether records from a previous run are still being replayed (appends are refused meanwhile).
    package var isReplaying: Bool { state.withLock { $0.replaying } }

    /// Appends a record of `format` and `body`. `admit` runs under the journal's lock with the
    /// record's sequence number and hands the spans to the pipeline, so the pipeline sees
    /// records in sequence order; when it declines, nothing is appended.
    package func append(format: UInt8, body: [UInt8], admit: (UInt64) -> Bool) -> AppendResult {
        let checksum = CRC32C.checksum(body, continuing: CRC32C.checksum([format]))
        let size = SegmentLog.headerSize + 1 + body.count
        let result = state.withLock { state -> AppendResult in
            guard !state.replaying, !state.closing else { return .refused }
            guard state.diskBytes + state.writingBytes + state.buffer.count + size <= configuration.maxBytes else { return .full }
            let sequence = state.nextSequence
            guard admit(sequence) else { return .refused }
            state.nextSequence += 1
            if state.bufferRecords == 0 { state.bufferFirst = sequence }
            state.bufferLast = sequence
            state.bufferRecords += 1
            SegmentLog.encode(sequence: sequence, payloadChecksum: checksum, payloadLength: 1 + body.count, into: &state.buffer)
            state.buffer.append(format)
            state.buffer.append(contentsOf: body)
            return .accepted(sequence: sequence)
        }
        if case .accepted = result { wake.signal() }
        return result
    }

    /// Waits until the record is on disk (synced when `fsync` is on); `false` when writing it failed.
    package func waitDurable(_ sequence: UInt64) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let ready = state.withLock { state -> Bool? in
                if let failed = state.failed, failed.contains(sequence) { return false }
                if state.durableBelow > sequence { return true }
                if state.closed { return false }
                state.waiters.append((sequence, continuation))
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Marks every record below `sequence` as no longer needed; their segments are deleted
    /// by the writer once no newer record shares them.
    package func release(below sequence: UInt64) {
        state.withLock { $0.releaseBelow = max($0.releaseBelow, sequence) }
    }

    /// Calls `body` with each record left by the previous run, in order, then lets appends
    /// in. `body` returns `false` to stop early (shutdown).
    package func replay(_ body: (UInt64, UInt8, [UInt8]) async -> Bool) async {
        defer { state.withLock { $0.replaying = false } }
        for segment in replaySegments {
            var records: [(UInt64, ArraySlice<UInt8>)] = []
            SegmentLog.replay([segment], from: replayRange.lowerBound, below: replayRange.upperBound) { records.append(($0, $1)) }
            for (sequence, payload) in records where !payload.isEmpty {
                if await !body(sequence, payload[payload.startIndex], Array(payload.dropFirst())) { return }
            }
        }
    }

    /// Writes what is buffered, stops the writer and waits for it.
    package func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.closed { return true }
                state.closing = true
                state.closeWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wake.signal() }
        }
    }

    private func writeLoop() {
        while true {
            _ = wake.wait(timeout: .now() + .milliseconds(100))
            let work = state.withLock { state in
                let taken = (
                    bytes: state.buffer, first: state.bufferFirst, last: state.bufferLast, records: state.bufferRecords,
                    release: state.releaseBelow, closing: state.closing
                )
                state.writingBytes = state.buffer.count
                state.buffer = []
                state.bufferRecords = 0
                return taken
            }
            var failure: JournalError?
            let writeStarted = ContinuousClock.now
            if work.records > 0 {
                do {
                    try log.withLock { try $0.append(work.bytes, first: work.first, last: work.last, sync: configuration.fsync) }
                } catch let error as JournalError {
                    failure = error
                } catch {
                    failure = JournalError(description: "\(error)")
                }
                if let failure {
                    logger.error("journal: write failed", metadata: ["directory": "\(configuration.directory)", "error": "\(failure)"])
                }
            }
            let diskBytes = log.withLock { log in
                log.release(below: work.release)
                return log.totalBytes
            }
            let ready = state.withLock { state -> [(Bool, CheckedContinuation<Bool, Never>)] in
                state.diskBytes = diskBytes
                state.writingBytes = 0
                if work.records > 0 {
                    if failure == nil { state.durableBelow = work.last + 1 } else { state.failed = work.first..<(work.last + 1) }
                    let took = writeStarted.duration(to: .now).components
                    state.commits.count += 1
                    state.commits.records += work.records
                    state.commits.seconds += Double(took.seconds) + Double(took.attoseconds) / 1e18
                }
                var ready: [(Bool, CheckedContinuation<Bool, Never>)] = []
                let failed = state.failed
                let durableBelow = state.durableBelow
                state.waiters.removeAll { waiter in
                    if let failed, failed.contains(waiter.sequence) {
                        ready.append((false, waiter.continuation))
                        return true
                    }
                    guard durableBelow > waiter.sequence else { return false }
                    ready.append((true, waiter.continuation))
                    return true
                }
                return ready
            }
            for (outcome, continuation) in ready { continuation.resume(returning: outcome) }
            if work.closing, work.records == 0 { break }
        }
        log.withLock { $0.closeActive() }
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.waiters = []; state.closeWaiters = [] }
            return (state.waiters.map(\.continuation), state.closeWaiters)
        }
        for continuation in waiting.0 { continuation.resume(returning: false) }
        for continuation in waiting.1 { continuation.resume() }
    }
}
