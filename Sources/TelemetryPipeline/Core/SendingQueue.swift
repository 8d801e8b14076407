import Synchronization
import TelemetryCore

/// An exporter's `sending_queue`: a bounded FIFO of requests (batches) drained by several
/// consumers. `offer` never waits: a request that does not fit is refused and the caller
/// counts it as dropped, so a slow backend cannot stall the pipeline.
package final class SendingQueue: Sendable {
    package struct Request: Sendable {
        package var spans: [TelemetrySpanData]
        /// The journal records it keeps alive, when the pipeline has a journal.
        package var hold: DurabilityHold?
    }

    private struct State {
        var requests: [Request] = []
        var head = 0
        var spans = 0
        var finished = false
        var consumers: [CheckedContinuation<Request?, Never>] = []

        var count: Int { requests.count - head }

        mutating func popFirst() -> Request? {
            guard head < requests.count else { return nil }
            let request = requests[head]
            requests[head].spans = []
            head += 1
            spans -= request.spans.count
            if head >= 64, head * 2 >= requests.count {
                requests.removeFirst(head)
                head = 0
            }
            return request
        }
    }

    /// Most requests held.
    package let capacity: Int
    private let state = Mutex(State())

    package init(capacity: Int) {
        self.capacity = capacity
    }

    /// Requests and spans waiting.
    package var size: (requests: Int, spans: Int) { state.withLock { ($0.count, $0.spans) } }

    /// Queues a request, or hands it straight to an idle consumer; `false` when full or finished.
    package func offer(_ request: Request) -> Bool {
        let outcome = state.withLock { state -> (accepted: Bool, consumer: CheckedContinuation<Request?, Never>?) in
            guard !state.finished else { return (false, nil) }
            if !state.consumers.isEmpty { return (true, state.consumers.removeFirst()) }
            guard state.count < capacity else { return (false, nil) }
            state.requests.append(request)
            state.spans += request.spans.count
            return (true, nil)
        }
        outcome.consumer?.resume(returning: request)
        return outcome.accepted
    }

    /// The next request, waiting for one; `nil` once finished and empty.
    package func take() async -> Request? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Request?, Never>) in
            let ready = state.withLock { state -> Request?? in
                if let request = state.popFirst() { return .some(request) }
                if state.finished { return .some(nil) }
                state.consumers.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Stops accepting; consumers still take what is queued, then get `nil`.
    package func finish() {
        let idle = state.withLock { state -> [CheckedContinuation<Request?, Never>] in
            state.finished = true
            defer { state.consumers = [] }
            return state.consumers
        }
        for consumer in idle { consumer.resume(returning: nil) }
    }
}
