import Synchronization

/// Answers the traffic driver received, by status code (0 for transport failures).
final class TrafficTally: Sendable {
    private let counts = Mutex<[Int: Int]>([:])

    func record(_ status: Int) {
        counts.withLock { $0[status, default: 0] += 1 }
    }

    /// `N requests: 200×n 401×m …`, codes ascending.
    func summary() -> String {
        let counts = counts.withLock { $0 }
        let total = counts.values.reduce(0, +)
        let parts = counts.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "error" : String($0.key))×\($0.value)" }
        return "\(total) requests: " + parts.joined(separator: " ")
    }

    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
