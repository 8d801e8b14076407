/// The body of `GET /monitoring/health/dashboard`, in the seed's shape: a gateway's view of
/// itself, the services behind it and the alerts raised.
///
/// The demo's api-gateway serves it about its downstreams and `telemetry-pipeline` about every
/// service in the trace stream; the pipeline fills the optional fields, which are left out of
/// the JSON when `nil`.
public struct HealthDashboard: Encodable, Sendable {
    /// The gateway itself.
    public struct Gateway: Encodable, Sendable {
        public var name: String
        public var version: String
        /// `healthy`, `degraded` or `unhealthy`.
        public var status: String
        /// The seed's `2d 14h 32m` form; see ``HealthDashboard/uptime(_:)``.
        public var uptime: String
        public var requests: Requests

        public init(name: String, version: String, status: String, uptime: String, requests: Requests) {
            self.name = name
            self.version = version
            self.status = status
            self.uptime = uptime
            self.requests = requests
        }
    }

    /// Requests the gateway has answered.
    public struct Requests: Encodable, Sendable {
        public var total: Int
        public var successful: Int
        public var failed: Int
        /// The successful share, `99.5%`; `100.0%` before the first request.
        public var rate: String

        /// Requests as counted elsewhere, with their success `rate` already formatted.
        public init(total: Int, successful: Int, failed: Int, rate: String) {
            self.total = total
            self.successful = successful
            self.failed = failed
            self.rate = rate
        }

        /// Counts `failed` of `total`, deriving `successful` and `rate`.
        public init(total: Int, failed: Int) {
            self.total = total
            self.successful = total - failed
            self.failed = failed
            self.rate = total > 0 ? HealthDashboard.percent(Double(total - failed) / Double(total)) : "100.0%"
        }
    }

    /// One service behind the gateway.
    public struct Service: Encodable, Sendable {
        public var status: String
        /// Requests in the health window (the pipeline's).
        public var requests: Int?
        /// Mean latency, `45ms`.
        public var responseTime: String
        /// 99th-percentile latency (the pipeline's).
        public var p99ResponseTime: String?
        /// `2.1%`.
        public var errorRate: String
        /// The worst state of the service's breakers: `CLOSED`, `HALF_OPEN` or `OPEN`.
        public var circuitBreaker: String
        /// Each breaker reported for the service (the pipeline's).
        public var circuitBreakers: [Breaker]?
        /// `true` on the entry folding the services beyond the pipeline's `max_services`.
        public var overflow: Bool?

        public init(
            status: String,
            requests: Int? = nil,
            responseTime: String,
            p99ResponseTime: String? = nil,
            errorRate: String,
            circuitBreaker: String,
            circuitBreakers: [Breaker]? = nil,
            overflow: Bool? = nil
        ) {
            self.status = status
            self.requests = requests
            self.responseTime = responseTime
            self.p99ResponseTime = p99ResponseTime
            self.errorRate = errorRate
            self.circuitBreaker = circuitBreaker
            self.circuitBreakers = circuitBreakers
            self.overflow = overflow
        }

        enum CodingKeys: String, CodingKey {
            case status, requests, overflow
            case responseTime = "response_time"
            case p99ResponseTime = "p99_response_time"
            case errorRate = "error_rate"
            case circuitBreaker = "circuit_breaker"
            case circuitBreakers = "circuit_breakers"
        }
    }

    /// One breaker of a service; `stale` when it has not been reported for a while.
    public struct Breaker: Encodable, Sendable {
        public var name: String
        public var state: String
        public var stale: Bool

        public init(name: String, state: String, stale: Bool) {
            self.name = name
            self.state = state
            self.stale = stale
        }
    }

    /// An active alert, newest first.
    public struct Alert: Encodable, Sendable {
        public var level: String
        public var service: String
        public var message: String
        public var timestamp: String
        /// How long it has been active, in the uptime form.
        public var duration: String

        public init(level: String, service: String, message: String, timestamp: String, duration: String) {
            self.level = level
            self.service = service
            self.message = message
            self.timestamp = timestamp
            self.duration = duration
        }
    }

    public var gateway: Gateway
    public var services: [String: Service]
    public var alerts: [Alert]

    public init(gateway: Gateway, services: [String: Service], alerts: [Alert]) {
        self.gateway = gateway
        self.services = services
        self.alerts = alerts
    }

    /// A ratio as the seed shows it, one decimal: `0.021` → `2.1%`.
    public static func percent(_ ratio: Double) -> String {
        "\((ratio * 1000).rounded() / 10)%"
    }

    /// The seed's `2d 14h 32m` form; under a minute, whole seconds (`42s`).
    public static func uptime(_ elapsed: Duration) -> String {
        let seconds = max(0, elapsed.components.seconds)
        let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60)
        if days > 0 { return "\(days)d \(hours)h \(minutes)m" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(seconds)s"
    }
}
