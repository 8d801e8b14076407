/// Request and result counts of the current generation, as gobreaker keeps them.
///
/// Cleared on every state change and, in the closed state, every `interval`.
public struct Counts: Sendable, Hashable, Codable {
    /// Requests admitted in this generation.
    public var requests: UInt32
    /// Successful results in this generation.
    public var totalSuccesses: UInt32
    /// Failed results in this generation.
    public var totalFailures: UInt32
    /// Successes since the last failure.
    public var consecutiveSuccesses: UInt32
    /// Failures since the last success.
    public var consecutiveFailures: UInt32

    /// Creates counts; all zero by default.
    public init(
        requests: UInt32 = 0,
        totalSuccesses: UInt32 = 0,
        totalFailures: UInt32 = 0,
        consecutiveSuccesses: UInt32 = 0,
        consecutiveFailures: UInt32 = 0
    ) {
        self.requests = requests
        self.totalSuccesses = totalSuccesses
        self.totalFailures = totalFailures
        self.consecutiveSuccesses = consecutiveSuccesses
        self.consecutiveFailures = consecutiveFailures
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case totalSuccesses = "total_successes"
        case totalFailures = "total_failures"
        case consecutiveSuccesses = "consecutive_successes"
        case consecutiveFailures = "consecutive_failures"
    }

    // Counters saturate rather than trap: a breaker must never crash its host.
    mutating func onRequest() {
        requests &+= requests == .max ? 0 : 1
    }

    mutating func onSuccess() {
        totalSuccesses &+= totalSuccesses == .max ? 0 : 1
        consecutiveSuccesses &+= consecutiveSuccesses == .max ? 0 : 1
        consecutiveFailures = 0
    }

    mutating func onFailure() {
        totalFailures &+= totalFailures == .max ? 0 : 1
        consecutiveFailures &+= consecutiveFailures == .max ? 0 : 1
        consecutiveSuccesses = 0
    }

    /// An excluded result takes its request back, so it counts nowhere.
    mutating func onExclusion() {
        if requests > 0 { requests -= 1 }
    }
}
