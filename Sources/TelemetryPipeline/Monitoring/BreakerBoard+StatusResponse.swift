import TelemetryHTTPServer

extension BreakerBoard.Breaker {
    /// The breaker as `/monitoring/circuit-breakers` lists it: the keys a service's own endpoint
    /// serves too, plus the pipeline-only ones. What only the breaker's process knows (counts,
    /// generation, the guarded service) the spans do not carry, so those keys stay absent.
    var statusResponseEntry: CircuitBreakerStatusResponse.Breaker {
        var entry = CircuitBreakerStatusResponse.Breaker(hostService: service, name: name, state: state)
        entry.stale = stale
        entry.stateChanges = stateChanges
        entry.rejected = rejected
        entry.lastReport = MonitoringAPI.iso(lastHeardNanos)
        entry.lastChange = lastChangeNanos == 0 ? nil : MonitoringAPI.iso(lastChangeNanos)
        return entry
    }
}
