/// The body of `GET /monitoring/errors/stats`: totals, and rates by service, type and severity.
public struct ErrorStatsSnapshot: Sendable, Hashable, Codable {
    /// Counts and rates over one sliding window.
    public struct WindowStats: Sendable, Hashable, Codable {
        /// Errors in the window (weighted by inverse sampling probability).
        public var errors: Double
        /// Requests in the window.
        public var requests: Double
        /// `errors ÷ requests`; 0 without requests.
        public var errorRate: Double
        /// Errors per second over the window's length.
        public var errorsPerSecond: Double
        /// Errors per type (raw values as keys).
        public var byType: [String: Double]
        /// Errors per severity.
        public var bySeverity: [String: Double]

        /// Creates window statistics.
        public init(errors: Double, requests: Double, errorRate: Double, errorsPerSecond: Double, byType: [String: Double], bySeverity: [String: Double]) {
            self.errors = errors
            self.requests = requests
            self.errorRate = errorRate
            self.errorsPerSecond = errorsPerSecond
            self.byType = byType
            self.bySeverity = bySeverity
        }

        enum CodingKeys: String, CodingKey {
            case errors, requests
            case errorRate = "error_rate"
            case errorsPerSecond = "errors_per_second"
            case byType = "by_type"
            case bySeverity = "by_severity"
        }
    }

    /// One service's statistics.
    public struct ServiceStats: Sendable, Hashable, Codable {
        /// Errors since start.
        public var totalErrors: Double
        /// Requests since start.
        public var totalRequests: Double
        /// Errors per type since start.
        public var byType: [String: Double]
        /// Errors per severity since start.
        public var bySeverity: [String: Double]
        /// `error_rate{service,type}` over the aggregator's rate window, per type.
        public var errorRates: [String: Double]
        /// Statistics per window (`1m`, `5m`, `1h`).
        public var windows: [String: WindowStats]

        /// Creates service statistics.
        public init(
            totalErrors: Double,
            totalRequests: Double,
            byType: [String: Double],
            bySeverity: [String: Double],
            errorRates: [String: Double],
            windows: [String: WindowStats]
        ) {
            self.totalErrors = totalErrors
            self.totalRequests = totalRequests
            self.byType = byType
            self.bySeverity = bySeverity
            self.errorRates = errorRates
            self.windows = windows
        }

        enum CodingKeys: String, CodingKey {
            case totalErrors = "total_errors"
            case totalRequests = "total_requests"
            case byType = "by_type"
            case bySeverity = "by_severity"
            case errorRates = "error_rates"
            case windows
        }
    }

    /// When the snapshot was taken (ISO 8601).
    public var timestamp: String
    /// Errors since start, all services.
    public var totalErrors: Double
    /// Requests since start, all services.
    public var totalRequests: Double
    /// Errors per type since start, all services.
    public var byType: [String: Double]
    /// Errors per severity since start, all services.
    public var bySeverity: [String: Double]
    /// All services together, per window.
    public var windows: [String: WindowStats]
    /// Per service.
    public var services: [String: ServiceStats]
    /// Alerts currently firing.
    public var alerts: [Alert]

    /// Creates a snapshot.
    public init(
        timestamp: String,
        totalErrors: Double,
        totalRequests: Double,
        byType: [String: Double],
        bySeverity: [String: Double],
        windows: [String: WindowStats],
        services: [String: ServiceStats],
        alerts: [Alert]
    ) {
        self.timestamp = timestamp
        self.totalErrors = totalErrors
        self.totalRequests = totalRequests
        self.byType = byType
        self.bySeverity = bySeverity
        self.windows = windows
        self.services = services
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case totalErrors = "total_errors"
        case totalRequests = "total_requests"
        case byType = "by_type"
        case bySeverity = "by_severity"
        case windows, services, alerts
    }
}
