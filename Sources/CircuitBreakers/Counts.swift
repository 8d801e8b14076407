/// Request and result counts, as gobreaker v2 keeps them and passes them to `readyToTrip`.
///
/// Cleared on every state change and, in the closed state, at the end of every `interval`;
/// with a `bucketPeriod`, the closed state's oldest bucket ages out of them instead.
public struct Counts: Sendable, Hashable, Codable {
    /// Requests admitted, excluded ones included.
    public var requests: UInt32
    /// Successful results.
    public var totalSuccesses: UInt32
    /// Failed results.
    public var totalFailures: UInt32
    /// Excluded results: their requests stay in ``requests`` but count as neither success
    /// nor failure (gobreaker v2's `TotalExclusions`).
    public var totalExclusions: UInt32
    /// Successes since the last failure.
    public var consecutiveSuccesses: UInt32
    /// Failures since the last success.
    public var consecutiveFailures: UInt32

    /// Creates counts; all zero by default.
    public init(
        requests: UInt32 = 0,
        totalSuccesses: UInt32 = 0,
        totalFailures: UInt32 = 0,
        totalExclusions: UInt32 = 0,
        consecutiveSuccesses: UInt32 = 0,
        consecutiveFailures: UInt32 = 0
    ) {
        self.requests = requests
        self.totalSuccesses = totalSuccesses
        self.totalFailures = totalFailures
        self.totalExclusions = totalExclusions
        self.consecutiveSuccesses = consecutiveSuccesses
        self.consecutiveFailures = consecutiveFailures
    }

    enum CodingKeys: String, CodingKey {
        case requests
        case totalSuccesses = "total_successes"
        case totalFailures = "total_failures"
        case totalExclusions = "total_exclusions"
        case consecutiveSuccesses = "consecutive_successes"
        case consecutiveFailures = "consecutive_failures"
    }

    /// Decodes counts; `total_exclusions` may be missing, as in statuses from before the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.decode(UInt32.self, forKey: .requests)
        totalSuccesses = try container.decode(UInt32.self, forKey: .totalSuccesses)
        totalFailures = try container.decode(UInt32.self, forKey: .totalFailures)
        totalExclusions = try container.decodeIfPresent(UInt32.self, forKey: .totalExclusions) ?? 0
        consecutiveSuccesses = try container.decode(UInt32.self, forKey: .consecutiveSuccesses)
        consecutiveFailures = try container.decode(UInt32.self, forKey: .consecutiveFailures)
    }

    /// Requests not excluded: what the half-open state's `maxRequests` budget counts.
    var validRequests: UInt32 {
        requests > totalExclusions ? requests - totalExclusions : 0
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

    /// An excluded result keeps its request and leaves both runs as they were.
    mutating func onExclusion() {
        totalExclusions &+= totalExclusions == .max ? 0 : 1
    }
}
