/// The metric names, label sets and help texts this package exposes, as the seed names them.
///
/// Names are the contract with dashboards and alert rules: change none of them.
public enum MetricCatalog {
    /// `http_request_duration_seconds{method,path,status}`: a histogram of server request durations.
    public static let httpRequestDuration = "http_request_duration_seconds"
    /// `http_requests_total{method,path,status}`: a counter of served requests.
    public static let httpRequestsTotal = "http_requests_total"
    /// `active_connections{service}`: a gauge of requests being served right now.
    public static let activeConnections = "active_connections"
    /// `error_rate{service,type}`: a gauge, the share of recent requests that failed with `type`.
    public static let errorRate = "error_rate"
    /// `circuit_breaker_state{service,name}`: 0 closed, 1 half-open, 2 open.
    public static let circuitBreakerState = "circuit_breaker_state"
    /// `circuit_breaker_requests_total{service,name,state,result}`.
    public static let circuitBreakerRequestsTotal = "circuit_breaker_requests_total"
    /// `circuit_breaker_state_changes_total{service,name,from_state,to_state}`.
    public static let circuitBreakerStateChangesTotal = "circuit_breaker_state_changes_total"

    /// Prometheus' default latency buckets in seconds, which bracket typical web request times.
    public static let defaultDurationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Help text for every metric name this package defines.
    public static let helpTexts: [String: String] = [
        httpRequestDuration: "Duration of HTTP server requests in seconds, by method, route template and status code.",
        httpRequestsTotal: "HTTP server requests served, by method, route template and status code.",
        activeConnections: "HTTP requests currently being served.",
        errorRate: "Share of recent requests that failed, by error type.",
        circuitBreakerState: "Circuit breaker state: 0 closed, 1 half-open, 2 open.",
        circuitBreakerRequestsTotal: "Requests passed through a circuit breaker, by state and result.",
        circuitBreakerStateChangesTotal: "Circuit breaker state transitions.",
    ]
}
