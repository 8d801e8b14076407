/// How urgently an error needs attention; ordered from `low` to `critical`.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Minor; no immediate action required.
    case low
    /// Moderate; monitoring required.
    case medium
    /// Serious; investigation needed.
    case high
    /// Critical; immediate action required.
    case critical

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}
