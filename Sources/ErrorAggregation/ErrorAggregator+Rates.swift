import Metrics
import Synchronization

extension ErrorAggregator {
    /// `error_rate{service,type}` as of now: errors of each type ÷ requests of the service over
    /// ``Configuration/rateWindow``, capped at 1, for every service and type ever recorded.
    ///
    /// A type with no error left in the window reads 0 rather than disappearing, so a scrape
    /// sees the rate fall back after an incident.
    public func errorRates() -> [String: [ErrorType: Double]] {
        let now = now()
        let window = configuration.rateWindow
        return state.withLock { state in
            var rates: [String: [ErrorType: Double]] = [:]
            for (name, service) in state.services {
                let requests = service.requests.sum(window, now: now)
                for type in Set(service.errors.keys.map(\.type)) {
                    let errors = service.errors(of: type, in: window, now: now)
                    rates[name, default: [:]][type] = requests > 0 ? min(1, errors / requests) : 0
                }
            }
            return rates
        }
    }

    /// Sets every `error_rate` gauge to its windowed value now.
    ///
    /// Recording refreshes only the gauge it touches; call this when metrics are read (a
    /// Prometheus backend's collect hook) or periodically, so gauges follow the sliding
    /// window between errors.
    public func refreshMetrics() {
        guard configuration.exportsMetrics else { return }
        let rates = errorRates()
        let gauges = state.withLock { state in
            rates.flatMap { service, types in
                types.map { type, rate in (gaugeLocked(&state, service: service, type: type), rate) }
            }
        }
        for (gauge, rate) in gauges { gauge.record(rate) }
    }
}
