/// Producers suspended in ``BatchSpanProcessor/waitForRoom(for:)``, oldest first.
///
/// Not synchronized: the processor guards it with its lock, and resumes the continuations it
/// removes only after releasing the lock.
struct ProducerWaiters {
    private struct Waiter {
        let id: UInt64
        let spans: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private var waiting: [Waiter] = []
    private var lastID: UInt64 = 0

    var isEmpty: Bool { waiting.isEmpty }

    /// A fresh identity for a waiter, taken before it suspends so that its cancellation handler can name it.
    mutating func makeID() -> UInt64 {
        lastID += 1
        return lastID
    }

    mutating func add(id: UInt64, spans: Int, continuation: CheckedContinuation<Void, Never>) {
        waiting.append(Waiter(id: id, spans: spans, continuation: continuation))
    }

    /// Removes the waiter `id` if it is still waiting (it may already have been admitted).
    mutating func remove(id: UInt64) -> CheckedContinuation<Void, Never>? {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return nil }
        return waiting.remove(at: index).continuation
    }

    /// Removes the waiters whose spans fit into `room`, oldest first, stopping at the first that
    /// does not fit, so that a producer asking for much room is not overtaken forever.
    mutating func admit(room: Int) -> [CheckedContinuation<Void, Never>] {
        var left = room
        var admitted = 0
        while admitted < waiting.count, waiting[admitted].spans <= left {
            left -= waiting[admitted].spans
            admitted += 1
        }
        guard admitted > 0 else { return [] }
        defer { waiting.removeFirst(admitted) }
        return waiting.prefix(admitted).map(\.continuation)
    }

    /// Removes every waiter, at shutdown.
    mutating func removeAll() -> [CheckedContinuation<Void, Never>] {
        defer { waiting.removeAll() }
        return waiting.map(\.continuation)
    }
}
