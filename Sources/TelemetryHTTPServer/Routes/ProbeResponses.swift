import HealthChecks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `GET /ready`: which critical checks fail, if any.
struct ReadinessResponse: Encodable {
    var status: String
    var failing: [String]

    init(_ report: HealthReport) {
        status = report.isReady ? "ready" : "not_ready"
        failing = report.results.filter { $0.isCritical && $0.status == .unhealthy }.map(\.name)
    }
}

/// The body of `GET /database/status`: the database check's latest result and last failure.
struct DatabaseStatusResponse: Encodable {
    var status: String
    var latencyMs: Double
    var error: String?
    var lastError: String?
    var lastErrorAt: String?
    var checkedAt: String

    enum CodingKeys: String, CodingKey {
        case status
        case latencyMs = "latency_ms"
        case error
        case lastError = "last_error"
        case lastErrorAt = "last_error_at"
        case checkedAt = "checked_at"
    }

    init(result: HealthCheckResult, lastFailure: DatabaseHealthCheck.Failure?, checkedAt: Date) {
        status = result.status.rawValue
        let (seconds, attoseconds) = result.latency.components
        latencyMs = (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
        error = result.outcome.error
        lastError = lastFailure?.message
        lastErrorAt = lastFailure?.date.formatted(.iso8601)
        self.checkedAt = checkedAt.formatted(.iso8601)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(latencyMs, forKey: .latencyMs)
        try container.encode(error, forKey: .error)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(lastErrorAt, forKey: .lastErrorAt)
        try container.encode(checkedAt, forKey: .checkedAt)
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
