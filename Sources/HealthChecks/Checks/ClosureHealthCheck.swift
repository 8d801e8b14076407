/// A check defined by a closure that returns an outcome or throws.
///
/// Suits dependency probes (an HTTP GET of another service's `/live`), queues, caches, disks.
public struct ClosureHealthCheck: HealthCheck {
    public let name: String
    public let isCritical: Bool
    public let timeout: Duration
    private let body: @Sendable () async throws -> HealthCheckOutcome

    /// Creates a check named `name` that runs `body`.
    public init(
        name: String,
        critical: Bool = true,
        timeout: Duration = .seconds(2),
        body: @escaping @Sendable () async throws -> HealthCheckOutcome
    ) {
        self.name = name
        self.isCritical = critical
        self.timeout = timeout
        self.body = body
    }

    public func check() async throws -> HealthCheckOutcome {
        try await body()
    }
}
