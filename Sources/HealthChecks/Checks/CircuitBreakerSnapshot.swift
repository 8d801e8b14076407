/// A circuit breaker's state and counts at one moment, as `/health` reports them.
public struct CircuitBreakerSnapshot: Sendable, Hashable {
    /// A breaker state, with the seed's names as raw values.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Requests pass through.
        case closed = "CLOSED"
        /// Trial requests test whether the dependency recovered.
        case halfOpen = "HALF_OPEN"
        /// Requests are rejected without being tried.
        case open = "OPEN"
    }

    /// Request counts in the breaker's current interval.
    public struct Counts: Sendable, Hashable {
        public var requests: UInt64
        public var totalSuccesses: UInt64
        public var totalFailures: UInt64
        public var consecutiveSuccesses: UInt64
        public var consecutiveFailures: UInt64

        /// Creates counts; every count defaults to zero.
        public init(
            requests: UInt64 = 0,
            totalSuccesses: UInt64 = 0,
            totalFailures: UInt64 = 0,
            consecutiveSuccesses: UInt64 = 0,
            consecutiveFailures: UInt64 = 0
        ) {
            self.requests = requests
            self.totalSuccesses = totalSuccesses
            self.totalFailures = totalFailures
            self.consecutiveSuccesses = consecutiveSuccesses
            self.consecutiveFailures = consecutiveFailures
        }
    }

    /// The breaker's name, which the seed reports as `service`.
    public var name: String
    /// The current state.
    public var state: State
    /// The current counts.
    public var counts: Counts

    /// Creates a snapshot.
    public init(name: String, state: State, counts: Counts = Counts()) {
        self.name = name
        self.state = state
        self.counts = counts
    }
}
