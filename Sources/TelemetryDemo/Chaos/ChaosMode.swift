/// How the user-service misbehaves while chaos is on.
public enum ChaosMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Every API request is answered 503 Service Unavailable.
    case fail
    /// Every API request stalls past the gateway's downstream timeout before it is served.
    case stall
    /// Every API request runs a query the database rejects, answered 500.
    case database
    /// Requests rotate through fail, stall, fail, database.
    case mixed

    /// The fault for the `index`-th request (counting from zero) under this mode.
    func fault(forRequest index: Int) -> ChaosMode {
        guard self == .mixed else { return self }
        let rotation: [ChaosMode] = [.fail, .stall, .fail, .database]
        return rotation[index % rotation.count]
    }
}
