import Synchronization

/// A point-in-time view of one breaker, as `GET /circuit-breakers/status` lists it.
public struct CircuitBreakerStatus: Sendable, Hashable, Codable {
    /// The breaker's name.
    public var name: String
    /// `CLOSED`, `HALF_OPEN` or `OPEN`.
    public var state: CircuitBreaker.State
    /// Counts of the current generation, in the seed's JSON key names plus gobreaker v2's
    /// `total_exclusions`.
    public var counts: Counts
    /// Seconds since the breaker entered its current state.
    public var timeInStateSeconds: Double
    /// Seconds until the open breaker admits a probe; `nil` unless open (and not isolated).
    public var nextProbeSeconds: Double?
    /// Whether the breaker was isolated by hand and stays open until reset.
    public var isolated: Bool
    /// Incremented on every state change and count reset.
    public var generation: UInt64
    /// The service the breaker stands in front of, when its registry knows it (the seed's
    /// `circuit_breaker.service`: the auth-service's `user-client` breaker guards `user-service`).
    public var guardedService: String?

    /// Creates a status value.
    public init(
        name: String,
        state: CircuitBreaker.State,
        counts: Counts,
        timeInStateSeconds: Double,
        nextProbeSeconds: Double?,
        isolated: Bool,
        generation: UInt64,
        guardedService: String? = nil
    ) {
        self.name = name
        self.state = state
        self.counts = counts
        self.timeInStateSeconds = timeInStateSeconds
        self.nextProbeSeconds = nextProbeSeconds
        self.isolated = isolated
        self.generation = generation
        self.guardedService = guardedService
    }

    enum CodingKeys: String, CodingKey {
        case name
        case state
        case counts
        case timeInStateSeconds = "time_in_state_seconds"
        case nextProbeSeconds = "next_probe_seconds"
        case isolated
        case generation
        case guardedService = "guarded_service"
    }
}

extension CircuitBreaker {
    /// The breaker's status now, after applying any transition that is due.
    public func status() -> CircuitBreakerStatus {
        snapshot()
    }

    func snapshot() -> CircuitBreakerStatus {
        var now = BreakerCore.LazyNow()
        let (status, transition) = core.withLock { core in
            let transition = core.refreshState(settings: settings, now: &now)
            let current = now.get(settings.clock)
            let nextProbe: Double? =
                core.state == .open && core.expiry != BreakerCore.never
                ? Double(max(0, core.expiry - current)) / 1e9 : nil
            let status = CircuitBreakerStatus(
                name: name,
                state: core.state,
                counts: core.currentCounts,
                timeInStateSeconds: Double(max(0, current - core.enteredAt)) / 1e9,
                nextProbeSeconds: nextProbe,
                isolated: core.isolated,
                generation: core.generation
            )
            return (status, transition)
        }
        if let transition { emit(transition) }
        return status
    }
}
