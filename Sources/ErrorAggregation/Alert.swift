/// An alert as the seed's dashboard lists it (`level`, `service`, `message`, `timestamp`,
/// `duration`), plus the rule and whether it still fires.
public struct Alert: Sendable, Hashable, Codable {
    /// How loud an alert is.
    public enum Level: String, Sendable, Hashable, Codable {
        /// Worth knowing.
        case info
        /// Needs a look.
        case warning
        /// Needs action now.
        case critical
    }

    /// Whether the condition still holds.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The condition holds.
        case firing
        /// The condition held and has cleared.
        case resolved
    }

    /// The alert's level.
    public var level: Level
    /// The service the alert concerns.
    public var service: String
    /// What is wrong, e.g. `error rate 12.0% above 5.0% (timeout)`.
    public var message: String
    /// When the condition started to hold (ISO 8601).
    public var timestamp: String
    /// How long the condition has held (or held, once resolved), e.g. `15m`.
    public var duration: String
    /// The rule that raised the alert.
    public var rule: String
    /// Firing or resolved.
    public var status: Status
    /// When the alert resolved (ISO 8601); `nil` while firing.
    public var resolvedAt: String?

    /// Creates an alert value.
    public init(
        level: Level,
        service: String,
        message: String,
        timestamp: String,
        duration: String,
        rule: String,
        status: Status,
        resolvedAt: String? = nil
    ) {
        self.level = level
        self.service = service
        self.message = message
        self.timestamp = timestamp
        self.duration = duration
        self.rule = rule
        self.status = status
        self.resolvedAt = resolvedAt
    }

    enum CodingKeys: String, CodingKey {
        case level, service, message, timestamp, duration, rule, status
        case resolvedAt = "resolved_at"
    }

    /// Formats a duration the way the seed's dashboard does: `45s`, `15m`, `2h5m`, `1d3h`.
    public static func format(seconds: Int64) -> String {
        let seconds = max(0, seconds)
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        if days > 0 { return hours > 0 ? "\(days)d\(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h\(minutes)m" : "\(hours)h" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(seconds)s"
    }
}
