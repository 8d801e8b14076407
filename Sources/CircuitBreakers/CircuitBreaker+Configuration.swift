extension CircuitBreaker {
    /// How a breaker counts, trips and recovers; gobreaker's `Settings` plus optional extras.
    public struct Configuration: Sendable {
        /// Probe requests admitted while half-open; that many consecutive successes close the
        /// breaker. Default 1; 0 is treated as 1. Environment: `CIRCUIT_BREAKER_MAX_REQUESTS`.
        public var maxRequests: UInt32
        /// Closed-state period after which counts are cleared; `.zero` never clears. The
        /// counts clear strictly after the interval has elapsed, not at its last instant, as in
        /// gobreaker. Default `.zero`. Environment: `CIRCUIT_BREAKER_INTERVAL`.
        public var interval: Duration
        /// With a positive ``interval``, rolls the closed-state counts over the interval in
        /// buckets of this length (gobreaker v2's `BucketPeriod`): when a period ends, the
        /// oldest bucket's requests and results leave the counts, instead of the whole interval
        /// clearing at once. The interval is rounded up to whole periods, as gobreaker does (a
        /// period as long as the interval or longer makes one plain interval of that period); at
        /// most ``maximumBuckets`` buckets are kept, lengthening a shorter period. `.zero` or
        /// negative: no buckets. Ignored when ``interval`` is `.zero`. Default `.zero`.
        /// Environment: `CIRCUIT_BREAKER_BUCKET_PERIOD`.
        public var bucketPeriod: Duration
        /// How long the breaker stays open before probing (it probes strictly after, as in
        /// gobreaker); a non-positive value means 60 s. Default 60 s. Environment: `CIRCUIT_BREAKER_TIMEOUT`.
        public var timeout: Duration
        /// Decides, after each closed-state failure, whether to trip. Default: more than five
        /// consecutive failures. Environment: `CIRCUIT_BREAKER_FAILURE_THRESHOLD` (N consecutive
        /// failures trip).
        public var readyToTrip: @Sendable (Counts) -> Bool
        /// Whether a thrown error still counts as a success (e.g. a 404 from a healthy peer).
        /// Default: every error is a failure.
        public var isSuccessful: @Sendable (any Error) -> Bool
        /// Whether a thrown error counts neither as success nor failure. As in gobreaker v2, its
        /// request stays in `Counts.requests` and the result adds to `Counts.totalExclusions`;
        /// while half-open it frees its probe slot. Default: `CancellationError` is excluded
        /// (gobreaker excludes nothing by default).
        public var isExcluded: @Sendable (any Error) -> Bool
        /// Called with the breaker name and the old and new state after every transition,
        /// outside the breaker's lock. Default `nil`.
        public var onStateChange: (@Sendable (_ name: String, _ from: State, _ to: State) -> Void)?
        /// A sliding time window whose failure or slow-call rate can also trip the breaker.
        /// Default `nil` (consecutive-count semantics only, as gobreaker).
        public var rollingWindow: RollingWindow?
        /// Treats calls slower than a threshold as a health signal. Default `nil`.
        public var slowCalls: SlowCalls?
        /// Lengthens the open duration on repeated trips. Default `nil` (constant `timeout`).
        public var backoff: Backoff?

        /// Creates a configuration; every parameter defaults to gobreaker's default.
        public init(
            maxRequests: UInt32 = 1,
            interval: Duration = .zero,
            bucketPeriod: Duration = .zero,
            timeout: Duration = .seconds(60),
            readyToTrip: @escaping @Sendable (Counts) -> Bool = Configuration.defaultReadyToTrip,
            isSuccessful: @escaping @Sendable (any Error) -> Bool = { _ in false },
            isExcluded: @escaping @Sendable (any Error) -> Bool = { $0 is CancellationError },
            onStateChange: (@Sendable (_ name: String, _ from: State, _ to: State) -> Void)? = nil,
            rollingWindow: RollingWindow? = nil,
            slowCalls: SlowCalls? = nil,
            backoff: Backoff? = nil
        ) {
            self.maxRequests = maxRequests
            self.interval = interval
            self.bucketPeriod = bucketPeriod
            self.timeout = timeout
            self.readyToTrip = readyToTrip
            self.isSuccessful = isSuccessful
            self.isExcluded = isExcluded
            self.onStateChange = onStateChange
            self.rollingWindow = rollingWindow
            self.slowCalls = slowCalls
            self.backoff = backoff
        }

        /// gobreaker's defaults.
        public static let `default` = Configuration()

        /// The most buckets a breaker keeps per ``interval``; each bucket costs a few words and
        /// its share of the work when periods end.
        public static let maximumBuckets = 1_000

        /// gobreaker's default trip rule: more than five consecutive failures.
        public static let defaultReadyToTrip: @Sendable (Counts) -> Bool = { $0.consecutiveFailures > 5 }

        /// A trip rule that opens after `threshold` consecutive failures.
        public static func consecutiveFailures(_ threshold: UInt32) -> @Sendable (Counts) -> Bool {
            { $0.consecutiveFailures >= threshold }
        }
    }

    /// A sliding window of time buckets; trips when enough calls failed (resilience4j style).
    public struct RollingWindow: Sendable, Hashable {
        /// Total length of the window. Default 60 s.
        public var length: Duration
        /// Number of buckets the window is divided into; older buckets expire one at a time.
        /// Default 10.
        public var buckets: Int
        /// Failure rate (0...1) at or above which the breaker trips. Default 0.5.
        public var failureRateThreshold: Double
        /// Calls the window must hold before a rate is evaluated. Default 20.
        public var minimumThroughput: Int

        /// Creates a window configuration.
        public init(length: Duration = .seconds(60), buckets: Int = 10, failureRateThreshold: Double = 0.5, minimumThroughput: Int = 20) {
            self.length = length
            self.buckets = max(1, buckets)
            self.failureRateThreshold = failureRateThreshold
            self.minimumThroughput = max(1, minimumThroughput)
        }
    }

    /// Slow-call detection: a call taking at least `durationThreshold` is slow.
    ///
    /// With a rolling window, the breaker trips when the slow-call rate reaches
    /// `rateThreshold`; while half-open, a slow probe counts as a failed one.
    public struct SlowCalls: Sendable, Hashable {
        /// Duration from which a call is slow. Default 1 s.
        public var durationThreshold: Duration
        /// Slow-call rate (0...1) in the rolling window at or above which the breaker trips.
        /// Default 1.0.
        public var rateThreshold: Double

        /// Creates a slow-call configuration.
        public init(durationThreshold: Duration = .seconds(1), rateThreshold: Double = 1.0) {
            self.durationThreshold = durationThreshold
            self.rateThreshold = rateThreshold
        }
    }

    /// Exponential backoff of the open duration: the n-th trip in a row (without closing in
    /// between) stays open `timeout × multiplier^(n-1)`, at most `maximum`.
    public struct Backoff: Sendable, Hashable {
        /// Growth factor per repeated trip. Default 2.
        public var multiplier: Double
        /// Upper bound on the open duration. Default 10 minutes.
        public var maximum: Duration

        /// Creates a backoff configuration.
        public init(multiplier: Double = 2, maximum: Duration = .seconds(600)) {
            self.multiplier = max(1, multiplier)
            self.maximum = maximum
        }
    }
}
