import CoreMetrics
import Logging
import Synchronization
import Tracing

/// Named breakers of one service, created on first use and listed for the status endpoint.
public final class CircuitBreakerRegistry: Sendable {
    /// The `service` label given to every breaker the registry creates.
    public let service: String
    /// The configuration for breakers created without one.
    public let defaultConfiguration: CircuitBreaker.Configuration

    private let breakers: Mutex<[String: CircuitBreaker]>
    /// Breaker name → the service it guards, for breakers not named after that service.
    private let guarded = Mutex<[String: String]>([:])
    private let makeBreaker: @Sendable (String, CircuitBreaker.Configuration) -> CircuitBreaker

    /// Creates an empty registry whose breakers use `clock`, report to `metricsFactory`
    /// (default: the bootstrapped `MetricsSystem`) and emit state-change spans through
    /// `tracer` (default: the bootstrapped `InstrumentationSystem.tracer`).
    public init<C: Clock>(
        service: String? = nil,
        defaultConfiguration: CircuitBreaker.Configuration = .default,
        clock: C,
        logger: Logger = Logger(label: "CircuitBreaker"),
        metricsFactory: (any MetricsFactory)? = nil,
        tracer: (any Tracer)? = nil
    ) where C.Duration == Duration {
        let service = service ?? ServiceName.fromEnvironment
        self.service = service
        self.defaultConfiguration = defaultConfiguration
        self.breakers = Mutex([:])
        self.makeBreaker = { name, configuration in
            CircuitBreaker(
                name: name, service: service, configuration: configuration, clock: clock, logger: logger,
                metricsFactory: metricsFactory, tracer: tracer)
        }
    }

    /// Creates an empty registry on the continuous (monotonic) system clock.
    public convenience init(
        service: String? = nil,
        defaultConfiguration: CircuitBreaker.Configuration = .default,
        logger: Logger = Logger(label: "CircuitBreaker")
    ) {
        self.init(service: service, defaultConfiguration: defaultConfiguration, clock: ContinuousClock(), logger: logger)
    }

    /// The breaker named `name`, created with `configuration` (or the default) if new.
    ///
    /// An existing breaker keeps the configuration it was created with.
    public func breaker(named name: String, configuration: CircuitBreaker.Configuration? = nil) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let existing = breakers[name] { return existing }
            let breaker = makeBreaker(name, configuration ?? defaultConfiguration)
            breakers[name] = breaker
            return breaker
        }
    }

    /// The breaker named `name` that guards calls to `service`, created if new.
    ///
    /// The registry remembers what it guards, so ``statuses()`` report it and
    /// ``breakers(guarding:)`` (the seed's `reset?service=user-service`) finds it.
    public func breaker(
        named name: String,
        guarding service: String,
        configuration: CircuitBreaker.Configuration? = nil
    ) -> CircuitBreaker {
        guarded.withLock { $0[name] = service }
        return breaker(named: name, configuration: configuration)
    }

    /// The service the breaker named `name` guards: as registered, else its own name.
    public func guardedService(ofBreakerNamed name: String) -> String {
        guarded.withLock { $0[name] } ?? name
    }

    /// The breakers that guard `service`: those registered as guarding it and the one named after it.
    public func breakers(guarding service: String) -> [CircuitBreaker] {
        all.filter { $0.name == service || guardedService(ofBreakerNamed: $0.name) == service }
    }

    /// The status of the breaker named `name`, with the service it guards; `nil` if unknown.
    public func status(ofBreakerNamed name: String) -> CircuitBreakerStatus? {
        existingBreaker(named: name).map(status(of:))
    }

    private func status(of breaker: CircuitBreaker) -> CircuitBreakerStatus {
        var status = breaker.status()
        status.guardedService = guardedService(ofBreakerNamed: breaker.name)
        return status
    }

    /// Adds a breaker built elsewhere, replacing any breaker of the same name.
    public func register(_ breaker: CircuitBreaker) {
        breakers.withLock { $0[breaker.name] = breaker }
    }

    /// The breaker named `name`, if registered.
    public func existingBreaker(named name: String) -> CircuitBreaker? {
        breakers.withLock { $0[name] }
    }

    /// Every registered breaker, sorted by name.
    public var all: [CircuitBreaker] {
        breakers.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// The status of every breaker, sorted by name.
    public func statuses() -> [CircuitBreakerStatus] {
        all.map(status(of:))
    }

    /// Emits every breaker's `circuit_breaker.report` span (see ``CircuitBreaker/reportState()``).
    public func reportStates() {
        for breaker in all { breaker.reportState() }
    }

    /// Resets the breaker named `name`; returns `false` if there is none.
    @discardableResult
    public func reset(named name: String) -> Bool {
        guard let breaker = existingBreaker(named: name) else { return false }
        breaker.reset()
        return true
    }

    /// Resets every breaker that guards `service` (see ``breakers(guarding:)``); returns their names.
    @discardableResult
    public func reset(guarding service: String) -> [String] {
        let breakers = breakers(guarding: service)
        for breaker in breakers { breaker.reset() }
        return breakers.map(\.name)
    }

    /// Resets every breaker.
    public func resetAll() {
        for breaker in all { breaker.reset() }
    }
}
