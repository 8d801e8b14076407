import Synchronization
import TelemetryCore

/// An exporter's `sending_queue`: a bounded FIFO of requests (batches) drained by several
/// consumers. `offer` never waits: a request that does not fit is refused and the caller
/// counts it as dropped, so a slow backend cannot stall the pipeline.
///
/// A request handed straight to an idle consumer keeps its spans. One that has to wait is
/// first encoded, when the queue has an encoder: through a backend outage the queue then holds
/// a few contiguous buffers per batch rather than millions of small span values, which is less
/// memory, and memory glibc can hand back once the queue drains (span values freed in their
/// millions left the heap fragmented, and a soak's resident size 10 % higher for good).
package final class SendingQueue: Sendable {
    package struct Request: Sendable {
        package enum Payload: Sendable {
            case spans([TelemetrySpanData])
            /// Bodies made by the exporter that sends them.
            case encoded(EncodedSpanBatch, by: any WireEncodingSpanExporter)
        }

        package var payload: Payload
        package let spanCount: Int
        /// The journal records it keeps alive, when the pipeline has a journal.
        package var hold: DurabilityHold?

        package init(spans: [TelemetrySpanData], hold: DurabilityHold? = nil) {
            payload = .spans(spans)
            spanCount = spans.count
            self.hold = hold
        }
    }

    private struct State {
        var requests: [Request?] = []
        var head = 0
        var spans = 0
        var finished = false
        var consumers: [CheckedContinuation<Request?, Never>] = []

        var count: Int { requests.count - head }

        mutating func popFirst() -> Request? {
            guard head < requests.count, let request = requests[head] else { return nil }
            requests[head] = nil
            head += 1
            spans -= request.spanCount
            if head >= 64, head * 2 >= requests.count {
                requests.removeFirst(head)
                head = 0
            }
            return request
        }
    }

    /// Most requests held.
    package let capacity: Int
    private let encoder: (any WireEncodingSpanExporter)?
    private let state = Mutex(State())

    /// - Parameter encoder: The exporter that turns a waiting request's spans into its wire
    ///   form; `nil` keeps them as spans.
    package init(capacity: Int, encoder: (any WireEncodingSpanExporter)? = nil) {
        self.capacity = capacity
        self.encoder = encoder
    }

    /// Requests and spans waiting.
    package var size: (requests: Int, spans: Int) { state.withLock { ($0.count, $0.spans) } }

    /// Consumers waiting for a request.
    package var idleConsumers: Int { state.withLock { $0.consumers.count } }

    /// Queues a request, or hands it straight to an idle consumer; `false` when full or finished.
    package func offer(_ request: Request) -> Bool {
        var request = request
        if let encoder, case .spans(let spans) = request.payload {
            switch place(request, queueing: false) {
            case .handed, .queued: return true
            case .refused: return false
            case .mustWait:
                // Encoded outside the lock; a consumer freed meanwhile takes the encoded form.
                request.payload = .encoded(encoder.encode(spans), by: encoder)
            }
        }
        return place(request, queueing: true) != .refused
    }

    private enum Placement { case handed, queued, mustWait, refused }

    private func place(_ request: Request, queueing: Bool) -> Placement {
        let outcome = state.withLock { state -> (Placement, CheckedContinuation<Request?, Never>?) in
            guard !state.finished else { return (.refused, nil) }
            if !state.consumers.isEmpty { return (.handed, state.consumers.removeFirst()) }
            guard state.count < capacity else { return (.refused, nil) }
            guard queueing else { return (.mustWait, nil) }
            state.requests.append(request)
            state.spans += request.spanCount
            return (.queued, nil)
        }
        outcome.1?.resume(returning: request)
        return outcome.0
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

    /// Stops accepting and hands back every queued request; consumers get `nil`.
    package func drainAndFinish() -> [Request] {
        let (drained, idle) = state.withLock { state -> ([Request], [CheckedContinuation<Request?, Never>]) in
            state.finished = true
            var drained: [Request] = []
            while let request = state.popFirst() { drained.append(request) }
            defer { state.consumers = [] }
            return (drained, state.consumers)
        }
        for consumer in idle { consumer.resume(returning: nil) }
        return drained
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
