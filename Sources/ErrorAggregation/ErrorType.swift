/// The kinds of failure the monitoring system tells apart; raw values are the seed's names.
public enum ErrorType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The caller could not be identified (HTTP 401).
    case authentication
    /// The caller is known but not allowed (HTTP 403).
    case authorization
    /// The request was malformed or invalid (HTTP 400, 422, other 4xx).
    case validation
    /// A dependency is down or refusing work (HTTP 503).
    case serviceUnavailable = "service_unavailable"
    /// A deadline passed (HTTP 504, 408).
    case timeout
    /// The caller was throttled (HTTP 429).
    case rateLimit = "rate_limit"
    /// A circuit breaker rejected the call.
    case circuitBreaker = "circuit_breaker"
    /// Anything else that went wrong on the server (other 5xx).
    case `internal`
    /// The resource does not exist (HTTP 404).
    case notFound = "not_found"

    public var description: String { rawValue }
}
