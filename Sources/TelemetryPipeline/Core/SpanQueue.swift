import Synchronization
import TelemetryCore

/// A bounded multi-producer queue of spans that never blocks producers: a batch that does
/// not fit is refused whole, and the refusal is counted by the caller.
package final class SpanQueue: Sendable {
    private struct State {
        var batches: [[SpanData]] = []
        var count = 0
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        /// A wake-up that arrived before the consumer parked; consumed by the next wait.
        var pendingWake = false
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
    package func offer(_ spans: [SpanData]) -> Bool {
        guard !spans.isEmpty else { return true }
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.finished, state.count + spans.count <= capacity else { return (false, nil) }
            state.batches.append(spans)
            state.count += spans.count
            let waiter = state.waiter
            state.waiter = nil
            return (true, waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// Takes everything queued, waiting up to `timeout` for something to arrive. Returns
    /// `nil` once the queue is finished and empty.
    package func take(waitingAtMost timeout: Duration) async -> [SpanData]? {
        if let ready = takeNow() { return ready }
        if isFinishedAndEmpty { return nil }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForOffer() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.wakeWaiter()
        }
        if let ready = takeNow() { return ready }
        return isFinishedAndEmpty ? nil : []
    }

    /// Stops accepting; consumers still drain what is queued.
    package func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    private var isFinishedAndEmpty: Bool { state.withLock { $0.finished && $0.count == 0 } }

    private func takeNow() -> [SpanData]? {
        state.withLock { state -> [SpanData]? in
            guard state.count > 0 else { return nil }
            let batches = state.batches
            state.batches = []
            state.count = 0
            return batches.count == 1 ? batches[0] : Array(batches.joined())
        }
    }

    private func waitForOffer() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.count > 0 || state.finished || state.pendingWake {
                    state.pendingWake = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func wakeWaiter() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pendingWake = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
