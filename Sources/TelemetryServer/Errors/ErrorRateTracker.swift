import Synchronization

/// The share of requests that failed, per error type, over a sliding window.
///
/// The window is a ring of slots, so recording is O(slots) with no allocation once every
/// type has been seen, and old traffic drops out without a background task.
final class ErrorRateTracker: Sendable {
    private struct Slot {
        var epoch: Int64 = -1
        var requests = 0
        var errors: [String: Int] = [:]
    }

    private struct State {
        var slots: [Slot]
        var seenTypes: [String] = []
    }

    private let slotWidth: Duration
    private let state: Mutex<State>

    /// A tracker over `window`, divided into `slots` parts.
    init(window: Duration = .seconds(60), slots: Int = 12) {
        precondition(slots > 0 && window > .zero)
        self.slotWidth = window / slots
        self.state = Mutex(State(slots: Array(repeating: Slot(), count: slots)))
    }

    /// Records one request, failed with `errorType` or successful (`nil`), at `now` since an
    /// arbitrary origin; returns the current rate of every type seen so far.
    func record(errorType: String?, at now: Duration) -> [(type: String, rate: Double)] {
        let epoch = Int64(now / slotWidth)
        return state.withLock { state in
            let count = state.slots.count
            let position = Int(epoch % Int64(count))
            if state.slots[position].epoch != epoch {
                state.slots[position] = Slot(epoch: epoch)
            }
            state.slots[position].requests += 1
            if let errorType {
                state.slots[position].errors[errorType, default: 0] += 1
                if !state.seenTypes.contains(errorType) { state.seenTypes.append(errorType) }
            }
            var requests = 0
            var errors: [String: Int] = [:]
            for slot in state.slots where slot.epoch > epoch - Int64(count) {
                requests += slot.requests
                for (type, n) in slot.errors { errors[type, default: 0] += n }
            }
            return state.seenTypes.map { type in
                (type, requests == 0 ? 0 : Double(errors[type, default: 0]) / Double(requests))
            }
        }
    }
}
