extension CircuitBreaker {
    /// A breaker's state; the raw values are the names the status JSON uses.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// Requests pass through and results are counted.
        case closed = "CLOSED"
        /// A limited number of probe requests pass; the rest are rejected.
        case halfOpen = "HALF_OPEN"
        /// Requests are rejected until the open duration has elapsed.
        case open = "OPEN"

        /// The value of the `circuit_breaker_state` gauge: 0 closed, 1 half-open, 2 open.
        public var metricValue: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }

        /// The lower-case label used in metric labels and span event attributes.
        public var label: String {
            switch self {
            case .closed: "closed"
            case .halfOpen: "half_open"
            case .open: "open"
            }
        }

        public var description: String { rawValue }
    }
}
