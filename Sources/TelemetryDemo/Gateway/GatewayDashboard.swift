import CircuitBreakers
import ErrorAggregation
import Foundation

/// The body of `GET /monitoring/health/dashboard`, in the seed's shape.
struct GatewayDashboard: Encodable {
    struct Gateway: Encodable {
        struct Requests: Encodable {
            var total: Int
            var successful: Int
            var failed: Int
            var rate: String
        }

        var name: String
        var version: String
        var status: String
        var uptime: String
        var requests: Requests
    }

    struct Service: Encodable {
        var status: String
        var responseTime: String
        var errorRate: String
        var circuitBreaker: String

        enum CodingKeys: String, CodingKey {
            case status
            case responseTime = "response_time"
            case errorRate = "error_rate"
            case circuitBreaker = "circuit_breaker"
        }
    }

    struct AlertEntry: Encodable {
        var level: String
        var service: String
        var message: String
        var timestamp: String
        var duration: String
    }

    var gateway: Gateway
    var services: [String: Service]
    var alerts: [AlertEntry]

    /// A downstream's status: open breaker unhealthy, half-open or ≥ 5% recent errors degraded.
    static func status(of downstream: Downstream) -> (status: String, service: Service) {
        let stats = downstream.stats.snapshot()
        let state = downstream.breaker.state
        let status: String =
            switch state {
            case .open: "unhealthy"
            case .halfOpen: "degraded"
            case .closed: stats.recentErrorRate >= 0.05 ? "degraded" : "healthy"
            }
        let service = Service(
            status: status,
            responseTime: "\(Int((stats.recentMeanLatency.seconds * 1000).rounded()))ms",
            errorRate: percent(stats.recentErrorRate),
            circuitBreaker: state.rawValue
        )
        return (status, service)
    }

    static func percent(_ ratio: Double) -> String {
        String(format: "%.1f%%", ratio * 100)
    }

    /// The seed's `2d 14h 32m` form.
    static func uptime(_ elapsed: Duration) -> String {
        let seconds = Int(elapsed.components.seconds)
        let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60)
        if days > 0 { return "\(days)d \(hours)h \(minutes)m" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(seconds)s"
    }
}
