import CircuitBreakers
import HealthChecks

extension CircuitBreakerHealthCheck {
    /// A check watching `breaker`, named after it (shown as `<name>_status` in `/health`).
    public init(breaker: CircuitBreaker, critical: Bool = true) {
        self.init(name: breaker.name, critical: critical) { breaker.status() }
    }

    /// A check named after the service the breaker `breakerName` of `registry` guards (shown
    /// as `user_service_status` for `user-service`, the seed's key), reporting that breaker
    /// with its guarded service.
    public init(guarding service: String, breakerNamed breakerName: String, in registry: CircuitBreakerRegistry, critical: Bool = true) {
        self.init(name: service, critical: critical) {
            guard let status = registry.status(ofBreakerNamed: breakerName) else { throw BreakerMissing(name: breakerName) }
            return status
        }
    }

    /// One check per breaker in `registry`, for those registered now; `critical` names the
    /// breakers whose opening makes the service unhealthy (the rest only degrade it).
    ///
    /// Breakers registered later are not watched; ``CircuitBreakerRegistryHealthCheck``
    /// watches the whole registry as it grows.
    public static func checks(for registry: CircuitBreakerRegistry, critical: Set<String>) -> [CircuitBreakerHealthCheck] {
        registry.statuses().map { status in
            let name = status.name
            return CircuitBreakerHealthCheck(name: name, critical: critical.contains(name)) {
                guard let breaker = registry.existingBreaker(named: name) else { throw BreakerMissing(name: name) }
                return breaker.status()
            }
        }
    }
}

/// A breaker that was watched has left its registry.
struct BreakerMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "circuit breaker \(name) is no longer registered" }
}
