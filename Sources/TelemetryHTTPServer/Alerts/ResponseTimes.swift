import Synchronization

/// The mean duration of a service's most recent requests, for the `high_response_time` alert.
///
/// A count window rather than a time window: it needs no clock, and a quiet service keeps
/// the latency its last requests saw instead of dropping to "no data" between requests.
public final class ResponseTimes: Sendable {
    private struct State {
        var recent: [Duration] = []
        var next = 0
    }

    /// How many recent requests the mean covers.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty window of `capacity` requests (at least 1). Default 100.
    public init(capacity: Int = 100) {
        self.capacity = max(1, capacity)
    }

    /// Adds one request's duration, replacing the oldest once the window is full.
    public func record(_ duration: Duration) {
        state.withLock { state in
            if state.recent.count < capacity {
                state.recent.append(duration)
            } else {
                state.recent[state.next] = duration
            }
            state.next = (state.next + 1) % capacity
        }
    }

    /// The mean of the recent durations; `nil` before the first request.
    public var mean: Duration? {
        state.withLock { state in
            guard !state.recent.isEmpty else { return nil }
            return state.recent.reduce(Duration.zero, +) / state.recent.count
        }
    }
}
