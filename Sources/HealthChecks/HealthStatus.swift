/// The seed's three service states, ordered from best to worst.
public enum HealthStatus: String, Sendable, Codable, Comparable, CaseIterable {
    /// All systems operational.
    case healthy
    /// Some issues, but the service still works.
    case degraded
    /// The service is not operational.
    case unhealthy

    private var rank: Int {
        switch self {
        case .healthy: 0
        case .degraded: 1
        case .unhealthy: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
