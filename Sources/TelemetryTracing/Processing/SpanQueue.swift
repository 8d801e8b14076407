import TelemetryCore

/// A fixed-capacity ring of finished spans, allocated once.
///
/// Spans move in and out without being copied: enqueueing moves the caller's value into its
/// slot, and taking a batch moves slots into a new array, so neither side pays a retain and
/// release, and taking a batch never shifts what stays behind.
/// Not synchronized: the owner guards it with its lock.
final class SpanQueue: @unchecked Sendable {
    let capacity: Int
    private let slots: UnsafeMutablePointer<QueuedSpan>
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a span queue needs room for at least one span")
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
    }

    deinit {
        _ = take(count)
        slots.deallocate()
    }

    var isFull: Bool { count == capacity }

    /// Moves `span` in at the back; the caller checks ``isFull`` first.
    func append(_ span: consuming QueuedSpan) {
        precondition(!isFull, "appending to a full span queue")
        (slots + (head + count) % capacity).initialize(to: span)
        count += 1
    }

    /// Moves up to `limit` spans out from the front, oldest first.
    func take(_ limit: Int) -> [QueuedSpan] {
        let taken = min(limit, count)
        guard taken > 0 else { return [] }
        let batch = [QueuedSpan](unsafeUninitializedCapacity: taken) { buffer, initialized in
            let first = min(taken, capacity - head)
            buffer.baseAddress!.moveInitialize(from: slots + head, count: first)
            if first < taken {
                (buffer.baseAddress! + first).moveInitialize(from: slots, count: taken - first)
            }
            initialized = taken
        }
        head = (head + taken) % capacity
        count -= taken
        return batch
    }
}
