import Tracing

/// The breaker's mutable state machine; every method runs under the breaker's lock.
///
/// Transitions follow gobreaker v2: lazy (evaluated whenever the breaker is consulted),
/// each one starting a new generation whose counts begin at zero, so results of requests
/// admitted in an earlier generation are dropped. An expiry (the end of the open duration or
/// of a closed interval) is due strictly after its instant, as gobreaker's `expiry.Before(now)`.
@usableFromInline
struct BreakerCore: Sendable {
    /// A state change to report once the lock is released.
    struct Transition: Sendable, Equatable {
        var from: CircuitBreaker.State
        var to: CircuitBreaker.State
        /// Wall-clock time of the change, read under the breaker's lock: the pipeline orders
        /// changes by it, so two racing transitions must be stamped in the order they happened.
        var at: DefaultTracerClock.Instant
    }

    /// The answer to "may this request run?".
    enum Admission: Sendable {
        case admitted(generation: UInt32, age: UInt64, state: CircuitBreaker.State)
        case rejectedOpen(retryAfterNanos: Int64)
        case rejectedTooManyRequests
        case rejectedIsolated
    }

    /// Reads the clock at most once per locked section, and only when time matters.
    struct LazyNow {
        private var value: Int64?

        init() {}

        mutating func get(_ clock: @Sendable () -> Int64) -> Int64 {
            if let value { return value }
            let now = clock()
            value = now
            return now
        }
    }

    /// "No expiry": the closed state with `interval` 0, half-open, or an isolated breaker.
    static let never = Int64.max

    var state: CircuitBreaker.State = .closed
    var generation: UInt64 = 0
    var counts = Counts()
    /// The clock reading of the state's next lazy change: the end of the open duration, of the
    /// closed interval, or (with buckets) of the current bucket period.
    var expiry: Int64
    var enteredAt: Int64
    /// When the current generation started: bucket periods are counted from it.
    var generationStart: Int64
    /// The closed state's counts per bucket period; `nil` without buckets.
    var buckets: CountBuckets?
    var isolated = false
    /// Trips since the breaker last closed; drives the open-duration backoff.
    var consecutiveTrips = 0
    var window: RollingWindowCounts?
    /// Requests admitted without the lock; their count is part of `Counts.requests`.
    let fast: FastAdmissions

    init(settings: BreakerSettings, now: Int64, fast: FastAdmissions) {
        expiry = Self.closedExpiry(settings: settings, from: now)
        enteredAt = now
        generationStart = now
        buckets = settings.bucketCount >= 2 ? CountBuckets(count: settings.bucketCount) : nil
        window = settings.rollingWindow.map(RollingWindowCounts.init)
        self.fast = fast
        fast.startGeneration(generation, allowed: expiry == Self.never)
    }

    /// The current generation's counts, lock-free admissions included.
    var currentCounts: Counts {
        var current = counts
        let (sum, overflow) = current.requests.addingReportingOverflow(fast.requests)
        current.requests = overflow ? .max : sum
        return current
    }

    /// The generation number as tickets carry it.
    var generationTag: UInt32 {
        FastAdmissions.tag(generation)
    }

    // MARK: gobreaker's beforeRequest / afterRequest

    mutating func admit(settings: BreakerSettings, now: inout LazyNow) -> (Admission, Transition?) {
        // The closed state without an interval needs no clock: the common case stays cheap.
        if state == .closed, expiry == Self.never {
            counts.onRequest()
            return (.admitted(generation: generationTag, age: 0, state: .closed), nil)
        }
        let transition = refreshState(settings: settings, now: &now)
        switch state {
        case .open:
            if isolated { return (.rejectedIsolated, transition) }
            return (.rejectedOpen(retryAfterNanos: max(0, expiry - now.get(settings.clock))), transition)
        case .halfOpen where counts.validRequests >= settings.maxRequests:
            return (.rejectedTooManyRequests, transition)
        case .closed, .halfOpen:
            counts.onRequest()
            buckets?.onRequest()
            return (.admitted(generation: generationTag, age: buckets?.age ?? 0, state: state), transition)
        }
    }

    mutating func complete(
        generation admitted: UInt32,
        age: UInt64,
        outcome: CircuitBreaker.Outcome,
        slow: Bool,
        settings: BreakerSettings,
        now: inout LazyNow
    ) -> Transition? {
        let lazy = refreshState(settings: settings, now: &now)
        guard admitted == generationTag else { return lazy }
        switch (state, outcome) {
        case (_, .excluded):
            tally(.excluded, age: age)
            return lazy
        case (.closed, .success):
            tally(.success, age: age)
            if window != nil, windowTrips(failure: false, slow: slow, settings: settings, now: now.get(settings.clock)) {
                return setState(.open, settings: settings, now: now.get(settings.clock))
            }
            return lazy
        case (.closed, .failure):
            // As in gobreaker, `readyToTrip` is asked even when the result's bucket has aged out.
            tally(.failure, age: age)
            var trip = settings.readyToTrip(currentCounts)
            if window != nil, windowTrips(failure: true, slow: slow, settings: settings, now: now.get(settings.clock)) { trip = true }
            return trip ? setState(.open, settings: settings, now: now.get(settings.clock)) : lazy
        case (.halfOpen, .success) where !(slow && settings.slowCallNanos != nil):
            tally(.success, age: age)
            if counts.consecutiveSuccesses >= settings.maxRequests {
                return setState(.closed, settings: settings, now: now.get(settings.clock))
            }
            return lazy
        case (.halfOpen, .success), (.halfOpen, .failure):
            return setState(.open, settings: settings, now: now.get(settings.clock))
        case (.open, _):
            // Unreachable in practice: entering open starts a new generation.
            return lazy
        }
    }

    // MARK: Manual control

    mutating func forceOpen(settings: BreakerSettings, now: Int64) -> Transition? {
        isolated = false
        if state == .open {
            startGeneration(settings: settings, now: now)
            return nil
        }
        return setState(.open, settings: settings, now: now)
    }

    mutating func isolate(settings: BreakerSettings, now: Int64) -> Transition? {
        isolated = true
        if state == .open {
            startGeneration(settings: settings, now: now)
            return nil
        }
        return setState(.open, settings: settings, now: now)
    }

    mutating func reset(settings: BreakerSettings, now: Int64) -> Transition? {
        isolated = false
        consecutiveTrips = 0
        window?.clear()
        if state == .closed {
            startGeneration(settings: settings, now: now)
            return nil
        }
        return setState(.closed, settings: settings, now: now)
    }

    /// Applies the lazy transitions due at `now` (gobreaker's `currentState`).
    mutating func refreshState(settings: BreakerSettings, now: inout LazyNow) -> Transition? {
        switch state {
        case .closed where expiry != Self.never:
            let current = now.get(settings.clock)
            if buckets != nil {
                // A bucket's period ends at its last instant: gobreaker numbers buckets by
                // whole periods elapsed.
                if expiry <= current { rollBuckets(settings: settings, now: current) }
            } else if expiry < current {
                startGeneration(settings: settings, now: current)
            }
            return nil
        case .open where expiry != Self.never:
            if expiry < now.get(settings.clock) { return setState(.halfOpen, settings: settings, now: now.get(settings.clock)) }
            return nil
        default:
            return nil
        }
    }

    // MARK: Internals

    /// Counts a result in the totals and, with buckets, in the bucket it was admitted in;
    /// a result whose bucket has aged out counts nowhere.
    private mutating func tally(_ outcome: CircuitBreaker.Outcome, age: UInt64) {
        if buckets?.record(outcome, admittedAt: age) == false { return }
        switch outcome {
        case .success: counts.onSuccess()
        case .failure: counts.onFailure()
        case .excluded: counts.onExclusion()
        }
    }

    /// Ages out the buckets whose periods have ended by `now` and schedules the next roll.
    private mutating func rollBuckets(settings: BreakerSettings, now: Int64) {
        let periods = UInt64(max(0, now &- generationStart) / settings.bucketNanos)
        buckets?.advance(to: periods, totals: &counts)
        expiry = Self.bucketEnd(settings: settings, start: generationStart, age: periods)
    }

    /// The closed state's first expiry: the end of the interval, or of the first bucket.
    private static func closedExpiry(settings: BreakerSettings, from now: Int64) -> Int64 {
        if settings.bucketCount >= 2 { return bucketEnd(settings: settings, start: now, age: 0) }
        return settings.intervalNanos > 0 ? now &+ settings.intervalNanos : never
    }

    /// The instant bucket `age` gives way to the next; saturates rather than wraps.
    private static func bucketEnd(settings: BreakerSettings, start: Int64, age: UInt64) -> Int64 {
        let (periods, overflow) = Int64(clamping: age).addingReportingOverflow(1)
        let (length, overflow2) = periods.multipliedReportingOverflow(by: settings.bucketNanos)
        let (end, overflow3) = start.addingReportingOverflow(length)
        return overflow || overflow2 || overflow3 ? never - 1 : end
    }

    private mutating func windowTrips(failure: Bool, slow: Bool, settings: BreakerSettings, now: Int64) -> Bool {
        guard let rules = settings.rollingWindow else { return false }
        // Mutating through the optional keeps the buckets uniquely referenced; copying the
        // window out first would duplicate its storage on every call.
        guard let totals = window?.record(failure: failure, slow: slow, now: now) else { return false }
        guard totals.calls >= rules.minimumThroughput else { return false }
        let calls = Double(totals.calls)
        if Double(totals.failures) / calls >= rules.failureRateThreshold { return true }
        if let slowRate = settings.slowCallRateThreshold, Double(totals.slowCalls) / calls >= slowRate { return true }
        return false
    }

    private mutating func setState(_ newState: CircuitBreaker.State, settings: BreakerSettings, now: Int64) -> Transition? {
        guard newState != state else { return nil }
        let previous = state
        state = newState
        switch newState {
        case .open: consecutiveTrips += 1
        case .closed:
            consecutiveTrips = 0
            window?.clear()
        case .halfOpen: break
        }
        enteredAt = now
        startGeneration(settings: settings, now: now)
        return Transition(from: previous, to: newState, at: DefaultTracerClock.now)
    }

    /// gobreaker's `toNewGeneration`: clears counts and sets the state's expiry.
    private mutating func startGeneration(settings: BreakerSettings, now: Int64) {
        generation &+= 1
        counts = Counts()
        buckets?.clear()
        generationStart = now
        switch state {
        case .closed:
            expiry = Self.closedExpiry(settings: settings, from: now)
        case .open:
            expiry = isolated ? Self.never : now &+ settings.openDurationNanos(trip: consecutiveTrips)
        case .halfOpen:
            expiry = Self.never
        }
        // Only a closed state that never needs the clock to admit may admit without the lock.
        fast.startGeneration(generation, allowed: state == .closed && expiry == Self.never)
    }
}
