#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HealthChecks

/// The body of `GET /health`, in the seed's shape.
///
/// `details` holds one `<check>_status` entry per check (a breaker's state name for breaker
/// checks, the status name otherwise); `circuit_breaker` describes the first breaker check.
struct HealthResponse: Encodable {
    struct Breaker: Encodable {
        struct Counts: Encodable {
            var requests: UInt64
            var totalSuccesses: UInt64
            var totalFailures: UInt64
            var consecutiveSuccesses: UInt64
            var consecutiveFailures: UInt64

            enum CodingKeys: String, CodingKey {
                case requests
                case totalSuccesses = "total_successes"
                case totalFailures = "total_failures"
                case consecutiveSuccesses = "consecutive_successes"
                case consecutiveFailures = "consecutive_failures"
            }
        }

        var service: String
        var state: String
        var counts: Counts
    }

    var timestamp: String
    var status: String
    var version: String
    var details: OrderedStringMap
    var circuitBreaker: Breaker?

    enum CodingKeys: String, CodingKey {
        case timestamp, status, version, details
        case circuitBreaker = "circuit_breaker"
    }

    init(_ report: HealthReport) {
        timestamp = report.timestamp.formatted(.iso8601)
        status = report.status.rawValue
        version = report.version
        details = OrderedStringMap(report.results.map { (Self.detailKey(for: $0.name), $0.outcome.summary) })
        circuitBreaker = report.results.lazy.compactMap(\.outcome.circuitBreaker).first.map { breaker in
            Breaker(
                service: breaker.name,
                state: breaker.state.rawValue,
                counts: .init(
                    requests: breaker.counts.requests,
                    totalSuccesses: breaker.counts.totalSuccesses,
                    totalFailures: breaker.counts.totalFailures,
                    consecutiveSuccesses: breaker.counts.consecutiveSuccesses,
                    consecutiveFailures: breaker.counts.consecutiveFailures
                )
            )
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(status, forKey: .status)
        try container.encode(version, forKey: .version)
        try container.encode(details, forKey: .details)
        try container.encodeIfPresent(circuitBreaker, forKey: .circuitBreaker)
    }

    /// `user-service` → `user_service_status`, the seed's key style.
    static func detailKey(for name: String) -> String {
        let snake = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return snake + "_status"
    }
}

/// String pairs encoded as a JSON object in the given order.
struct OrderedStringMap: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var pairs: [(String, String)]

    init(_ pairs: [(String, String)]) {
        self.pairs = pairs
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in pairs { try container.encode(value, forKey: Key(stringValue: key)) }
    }
}
