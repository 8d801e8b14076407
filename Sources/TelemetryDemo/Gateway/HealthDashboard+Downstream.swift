import CircuitBreakers
import TelemetryHTTPServer

extension HealthDashboard {
    /// A downstream's status: open breaker unhealthy, half-open or ≥ 5% recent errors degraded.
    static func status(of downstream: Downstream) -> Service {
        let stats = downstream.stats.snapshot()
        let state = downstream.breaker.state
        let status: String =
            switch state {
            case .open: "unhealthy"
            case .halfOpen: "degraded"
            case .closed: stats.recentErrorRate >= 0.05 ? "degraded" : "healthy"
            }
        return Service(
            status: status,
            responseTime: "\(Int((stats.recentMeanLatency.seconds * 1000).rounded()))ms",
            errorRate: percent(stats.recentErrorRate),
            circuitBreaker: state.rawValue
        )
    }
}
