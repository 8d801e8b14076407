extension TrafficDriver {
    /// How much traffic to send, how much of it is wrong on purpose, and when chaos strikes.
    public struct Configuration: Sendable {
        /// Requests per second to the gateway. Default 10; `--rate`. 0 sends nothing.
        public var rate: Double
        /// How long to send; `nil` until stopped. Default `nil`; `--duration`.
        public var duration: Duration?
        /// Share of requests that are invalid on purpose (bad input, bad credentials,
        /// missing role, unknown ids). Default 0.1; `--error-ratio`.
        public var errorRatio: Double
        /// The user-service outage to inject, if any. Default `nil`; `--chaos`.
        public var chaos: ChaosPlan?
        /// Whether the services keep serving after the traffic ends. Default `true`;
        /// `--exit-when-done` turns it off.
        public var keepServing: Bool
        /// Seed of the request mix. Default 1; `--seed`.
        public var seed: UInt64

        /// The defaults listed on each property.
        public static let `default` = Configuration()

        /// Creates a configuration.
        public init(
            rate: Double = 10,
            duration: Duration? = nil,
            errorRatio: Double = 0.1,
            chaos: ChaosPlan? = nil,
            keepServing: Bool = true,
            seed: UInt64 = 1
        ) {
            self.rate = rate
            self.duration = duration
            self.errorRatio = errorRatio
            self.chaos = chaos
            self.keepServing = keepServing
            self.seed = seed
        }
    }

    /// A user-service outage: which faults, when, and for how long.
    public struct ChaosPlan: Sendable, Hashable {
        /// Delay from the start of traffic. Default 10 s; `--chaos-after`.
        public var after: Duration
        /// Length of the outage. Default 20 s; `--chaos-for`.
        public var length: Duration
        /// The faults. Default `mixed`; `--chaos-mode`.
        public var mode: ChaosMode

        /// Creates a plan.
        public init(after: Duration = .seconds(10), length: Duration = .seconds(20), mode: ChaosMode = .mixed) {
            self.after = after
            self.length = length
            self.mode = mode
        }
    }
}
