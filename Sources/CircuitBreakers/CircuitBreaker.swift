import CoreMetrics
import Logging
import Metrics
import Synchronization
import Tracing

/// A circuit breaker with the semantics of sony/gobreaker v2, plus optional rolling-window,
/// slow-call and backoff rules.
///
/// ```swift
/// let breaker = CircuitBreaker(name: "user-service")
/// let user = try await breaker.execute { try await client.user(id) }
/// ```
///
/// State changes are lazy: the breaker only looks at the clock when it is consulted.
/// Every state change starts a new generation; results of requests admitted in an
/// earlier generation are ignored. Callbacks, metrics, span events and logs are emitted
/// after the lock is released.
public final class CircuitBreaker: Sendable {
    /// The breaker's name (the `name` metric label, and the key in a registry).
    public let name: String
    /// The service the breaker lives in (the `service` metric label).
    public let service: String
    /// The configuration the breaker was created with.
    public let configuration: Configuration

    let settings: BreakerSettings
    let core: Mutex<BreakerCore>
    let fastAdmissions: FastAdmissions
    let instruments: BreakerInstruments
    let logger: Logger
    /// Where state-change spans and events go; `nil` for the bootstrapped `InstrumentationSystem.tracer`.
    let tracer: (any Tracer)?

    /// Creates a breaker.
    ///
    /// - Parameters:
    ///   - name: The breaker's name, e.g. the downstream it protects.
    ///   - service: The `service` label of its metrics; defaults to `OTEL_SERVICE_NAME`,
    ///     else `unknown_service`.
    ///   - configuration: Counting, tripping and recovery rules.
    ///   - clock: A monotonic clock; inject a test clock to drive transitions by hand.
    ///   - logger: Receives one line per state change.
    ///   - metricsFactory: Where metrics go; defaults to the bootstrapped `MetricsSystem`.
    ///   - tracer: Receives state-change spans and events; defaults to the bootstrapped
    ///     `InstrumentationSystem.tracer`. Give the service's own tracer when one process
    ///     runs several services, so reports carry the right `service.name`.
    public init<C: Clock>(
        name: String,
        service: String? = nil,
        configuration: Configuration = .default,
        clock: C,
        logger: Logger = Logger(label: "CircuitBreaker"),
        metricsFactory: (any MetricsFactory)? = nil,
        tracer: (any Tracer)? = nil
    ) where C.Duration == Duration {
        let origin = clock.now
        let settings = BreakerSettings(configuration) { origin.duration(to: clock.now).nanoseconds }
        self.name = name
        self.service = service ?? ServiceName.fromEnvironment
        self.configuration = configuration
        self.settings = settings
        let fastAdmissions = FastAdmissions(generation: 0, allowed: false)
        self.fastAdmissions = fastAdmissions
        self.core = Mutex(BreakerCore(settings: settings, now: 0, fast: fastAdmissions))
        self.instruments = BreakerInstruments(service: self.service, name: name, factory: metricsFactory ?? MetricsSystem.factory)
        var logger = logger
        logger[metadataKey: "circuit_breaker.name"] = "\(name)"
        self.logger = logger
        self.tracer = tracer
        instruments.recordState(.closed)
    }

    /// Creates a breaker on the continuous (monotonic) system clock.
    public convenience init(
        name: String,
        service: String? = nil,
        configuration: Configuration = .default,
        logger: Logger = Logger(label: "CircuitBreaker")
    ) {
        self.init(name: name, service: service, configuration: configuration, clock: ContinuousClock(), logger: logger)
    }

    /// The current state, after applying any transition that is due.
    public var state: State {
        snapshot().state
    }

    /// The counts of the current generation, after applying any transition that is due.
    public var counts: Counts {
        snapshot().counts
    }

    /// Runs `body` if the breaker admits it and records the result.
    ///
    /// - Throws: ``CircuitBreakerRejectedError`` without running `body` when the breaker is
    ///   open or its half-open budget is spent; otherwise whatever `body` throws.
    @inlinable
    public func execute<T>(_ body: () throws -> T) throws -> T {
        let ticket = try acquire()
        let result: T
        do {
            result = try body()
        } catch {
            complete(ticket, error: error)
            throw error
        }
        complete(ticket, error: nil)
        return result
    }

    /// Runs the asynchronous `body` if the breaker admits it and records the result.
    ///
    /// - Throws: ``CircuitBreakerRejectedError`` without running `body` when the breaker is
    ///   open or its half-open budget is spent; otherwise whatever `body` throws.
    @inlinable
    public func execute<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        let ticket = try acquire()
        let result: T
        do {
            result = try await body()
        } catch {
            complete(ticket, error: error)
            throw error
        }
        complete(ticket, error: nil)
        return result
    }

    /// Opens the breaker now; it probes again after the open duration, as after a trip.
    public func forceOpen() {
        let transition = core.withLock { $0.forceOpen(settings: settings, now: settings.clock()) }
        if let transition { emit(transition) }
    }

    /// Opens the breaker until ``reset()``: no probes are admitted meanwhile.
    public func isolate() {
        let transition = core.withLock { $0.isolate(settings: settings, now: settings.clock()) }
        if let transition { emit(transition) }
    }

    /// Closes the breaker and clears its counts, backoff and isolation.
    public func reset() {
        let transition = core.withLock { $0.reset(settings: settings, now: settings.clock()) }
        if let transition { emit(transition) }
    }
}

// MARK: - Admission and completion (shared by execute and the two-step API)

extension CircuitBreaker {
    /// How a finished request counts.
    @usableFromInline
    enum Outcome: Sendable {
        case success
        case failure
        case excluded
    }

    /// What a completion needs to know about its admission.
    @usableFromInline
    struct Ticket: Sendable {
        @usableFromInline let generation: UInt32
        /// The bucket the request was admitted in; 0 without buckets.
        @usableFromInline let age: UInt64
        @usableFromInline let state: State
        /// Clock reading at admission, taken only when slow calls are tracked.
        @usableFromInline let startNanos: Int64
    }

    @usableFromInline
    func acquire() throws(CircuitBreakerRejectedError) -> Ticket {
        if let generation = fastAdmissions.tryAdmit() {
            let start = settings.slowCallNanos == nil ? 0 : settings.clock()
            return Ticket(generation: generation, age: 0, state: .closed, startNanos: start)
        }
        var now = BreakerCore.LazyNow()
        let (admission, transition) = core.withLock { $0.admit(settings: settings, now: &now) }
        if let transition { emit(transition) }
        switch admission {
        case .admitted(let generation, let age, let state):
            let start = settings.slowCallNanos == nil ? 0 : settings.clock()
            return Ticket(generation: generation, age: age, state: state, startNanos: start)
        case .rejectedOpen(let retryAfterNanos):
            let error = CircuitBreakerRejectedError.open(breakerName: name, retryAfter: .nanoseconds(retryAfterNanos))
            reject(error)
            throw error
        case .rejectedTooManyRequests:
            let error = CircuitBreakerRejectedError.tooManyRequests(breakerName: name)
            reject(error)
            throw error
        case .rejectedIsolated:
            let error = CircuitBreakerRejectedError.isolated(breakerName: name)
            reject(error)
            throw error
        }
    }

    @usableFromInline
    func complete(_ ticket: Ticket, error: (any Error)?) {
        let outcome: Outcome
        if let error {
            if configuration.isExcluded(error) {
                outcome = .excluded
            } else {
                outcome = configuration.isSuccessful(error) ? .success : .failure
            }
        } else {
            outcome = .success
        }
        complete(ticket, outcome: outcome)
    }

    func complete(_ ticket: Ticket, outcome: Outcome) {
        var slow = false
        if let threshold = settings.slowCallNanos {
            slow = settings.clock() &- ticket.startNanos >= threshold
        }
        var now = BreakerCore.LazyNow()
        let transition = core.withLock {
            $0.complete(generation: ticket.generation, age: ticket.age, outcome: outcome, slow: slow, settings: settings, now: &now)
        }
        instruments.recordResult(outcome, state: ticket.state)
        if let transition { emit(transition) }
    }
}
