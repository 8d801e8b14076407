import Synchronization

/// Turns user-service faults on for a while; shared by the chaos middleware, the
/// `/chaos` endpoint and the traffic driver.
public final class ChaosSwitch: Sendable {
    /// The switch's state as the `/chaos` endpoint reports it.
    public struct Status: Codable, Sendable, Hashable {
        /// Whether faults are being injected now.
        public var active: Bool
        /// The mode, when active.
        public var mode: ChaosMode?
        /// Seconds of chaos left, when active.
        public var remainingSeconds: Double?
        /// How long a stalled request waits.
        public var stallSeconds: Double

        enum CodingKeys: String, CodingKey {
            case active, mode
            case remainingSeconds = "remaining_seconds"
            case stallSeconds = "stall_seconds"
        }
    }

    private struct State {
        var mode: ChaosMode?
        var until: Duration = .zero
        var requests = 0
    }

    /// How long a stalled request waits before it is served.
    public let stall: Duration
    private let state = Mutex(State())
    private let elapsed: @Sendable () -> Duration

    /// Creates a switch that is off.
    ///
    /// - Parameters:
    ///   - stall: how long `stall` faults hold a request; longer than the gateway's timeout.
    ///   - clock: decides when chaos ends.
    public init<C: Clock<Duration>>(stall: Duration = .seconds(2), clock: C = ContinuousClock()) {
        self.stall = stall
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// Injects `mode` faults for `duration`, replacing any chaos in progress.
    public func start(_ mode: ChaosMode, for duration: Duration) {
        let now = elapsed()
        state.withLock { state in
            state.mode = mode
            state.until = now + duration
            state.requests = 0
        }
    }

    /// Ends chaos now.
    public func stop() {
        state.withLock { $0.mode = nil }
    }

    /// The fault for the next request, or `nil` when chaos is off (or has run out).
    func nextFault() -> ChaosMode? {
        let now = elapsed()
        return state.withLock { state in
            guard let mode = state.mode else { return nil }
            guard now < state.until else {
                state.mode = nil
                return nil
            }
            defer { state.requests += 1 }
            return mode.fault(forRequest: state.requests)
        }
    }

    /// Whether faults are being injected now, and for how long still.
    public var status: Status {
        let now = elapsed()
        return state.withLock { state in
            guard let mode = state.mode, now < state.until else {
                return Status(active: false, mode: nil, remainingSeconds: nil, stallSeconds: stall.seconds)
            }
            return Status(active: true, mode: mode, remainingSeconds: (state.until - now).seconds, stallSeconds: stall.seconds)
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
