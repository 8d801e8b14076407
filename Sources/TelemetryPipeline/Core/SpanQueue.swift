import Synchronization
import TelemetryCore

/// A bounded multi-producer queue of spans. `offer` never blocks: a batch that does not fit is
/// refused whole, and the caller counts or reports the refusal. `offerWaiting` lets an
/// internal stage wait for room instead, so a slow consumer pushes back on its producer
/// rather than losing spans that were already accepted.
///
/// Batches stay the arrays they were offered as: `takeChunks` hands them out whole, so spans
/// move through the queue without being copied or their references counted again.
package final class SpanQueue: Sendable {
    private struct State {
        var batches: [[TelemetrySpanData]] = []
        var count = 0
        var finished = false
        /// The consumer parked in `takeChunks`, with the number of its wait.
        var waiter: (wait: UInt64, continuation: CheckedContinuation<Void, Never>)?
        /// A wait whose timeout came before its consumer parked: it must not park at all.
        var abandonedWait: UInt64?
        var nextWait: UInt64 = 0
        /// Producers waiting in `offerWaiting` for the consumer to make room.
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Most spans held at once.
    package let capacity: Int
    private let state = Mutex(State())

    package init(capacity: Int) {
        self.capacity = capacity
    }

    /// Spans currently queued.
    package var count: Int { state.withLock { $0.count } }

    /// Enqueues a batch; `false` when it does not fit or the queue is finished.
    @discardableResult
    package func offer(_ spans: [TelemetrySpanData]) -> Bool {
        guard !spans.isEmpty else { return true }
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.finished, state.count + spans.count <= capacity else { return (false, nil) }
            state.batches.append(spans)
            state.count += spans.count
            let waiter = state.waiter?.continuation
            state.waiter = nil
            return (true, waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// Enqueues a batch, waiting while the queue is full; `false` only once the queue is
    /// finished. A batch larger than the whole capacity is taken when the queue is empty, so
    /// it cannot wait forever.
    package func offerWaiting(_ spans: [TelemetrySpanData]) async -> Bool {
        await offerWaiting(chunks: [spans])
    }

    /// Enqueues several batches as one, waiting while they do not fit; see `offerWaiting(_:)`.
    package func offerWaiting(chunks: [[TelemetrySpanData]]) async -> Bool {
        let total = chunks.reduce(0) { $0 + $1.count }
        guard total > 0 else { return true }
        while true {
            let outcome = state.withLock { state -> (accepted: Bool?, waiter: CheckedContinuation<Void, Never>?) in
                if state.finished { return (false, nil) }
                guard state.count == 0 || state.count + total <= capacity else { return (nil, nil) }
                for chunk in chunks where !chunk.isEmpty { state.batches.append(chunk) }
                state.count += total
                let waiter = state.waiter?.continuation
                state.waiter = nil
                return (true, waiter)
            }
            outcome.waiter?.resume()
            if let accepted = outcome.accepted { return accepted }
            await waitForSpace()
        }
    }

    /// Takes everything queued, waiting up to `timeout` for something to arrive. Returns
    /// `nil` once the queue is finished and empty.
    package func take(waitingAtMost timeout: Duration) async -> [TelemetrySpanData]? {
        guard let chunks = await takeChunks(waitingAtMost: timeout) else { return nil }
        return chunks.count == 1 ? chunks[0] : Array(chunks.joined())
    }

    /// Takes everything queued as the batches it was offered in, waiting up to `timeout` for
    /// something to arrive; empty after a timeout, `nil` once the queue is finished and empty.
    package func takeChunks(waitingAtMost timeout: Duration) async -> [[TelemetrySpanData]]? {
        if let ready = takeNow() { return ready }
        if isFinishedAndEmpty { return nil }
        let wait = state.withLock { state in
            state.nextWait += 1
            return state.nextWait
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForOffer(wait) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.endWait(wait)
        }
        if let ready = takeNow() { return ready }
        return isFinishedAndEmpty ? nil : []
    }

    /// Stops accepting; consumers still drain what is queued.
    package func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            let waiter = state.waiter?.continuation
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
        releaseSpaceWaiters()
    }

    private var isFinishedAndEmpty: Bool { state.withLock { $0.finished && $0.count == 0 } }

    private func takeNow() -> [[TelemetrySpanData]]? {
        let batches = state.withLock { state -> [[TelemetrySpanData]]? in
            guard state.count > 0 else { return nil }
            let batches = state.batches
            state.batches = []
            state.count = 0
            return batches
        }
        guard let batches else { return nil }
        releaseSpaceWaiters()
        return batches
    }

    private func waitForSpace() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.finished || state.count == 0 { return true }
                state.spaceWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Wakes every waiting producer; each re-checks for room under the lock.
    private func releaseSpaceWaiters() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            let waiters = state.spaceWaiters
            state.spaceWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitForOffer(_ wait: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.count > 0 || state.finished || state.abandonedWait == wait {
                    state.abandonedWait = nil
                    return true
                }
                state.waiter = (wait, continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Ends wait `wait` after its first outcome: resumes the consumer if it is still parked, or
    /// marks the wait abandoned if it has not parked yet. The mark names this wait alone, so a
    /// wait an offer already ended leaves nothing behind for the next one to trip over.
    private func endWait(_ wait: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.wait == wait else {
                state.abandonedWait = wait
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
