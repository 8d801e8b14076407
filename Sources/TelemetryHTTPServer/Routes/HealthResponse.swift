import CircuitBreakers
import HealthChecks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `GET /health`, in the seed's shape.
///
/// `details` holds one `<check>_status` entry per check (a breaker's state name for breaker
/// checks, the status name otherwise); `circuit_breaker` describes the first breaker, as the
/// seed shows it, and `circuit_breakers` every breaker the checks watched, by name.
struct HealthResponse: Encodable {
    /// One breaker as `/health` shows it: the seed's `service` (the service the breaker
    /// guards), `state` and `counts`, plus the breaker's own `name`.
    struct Breaker: Encodable {
        var service: String
        var name: String
        var state: String
        var counts: Counts

        init(_ status: CircuitBreakerStatus) {
            service = status.guardedService ?? status.name
            name = status.name
            state = status.state.rawValue
            counts = status.counts
        }
    }

    var timestamp: String
    var status: String
    var version: String
    var details: OrderedStringMap
    var circuitBreakers: [Breaker]

    enum CodingKeys: String, CodingKey {
        case timestamp, status, version, details
        case circuitBreaker = "circuit_breaker"
        case circuitBreakers = "circuit_breakers"
    }

    init(_ report: HealthReport) {
        timestamp = report.timestamp.formatted(.iso8601)
        status = report.status.rawValue
        version = report.version
        details = OrderedStringMap(report.results.map { (Self.detailKey(for: $0.name), $0.outcome.summary) })
        // A breaker watched by two checks (its own and a registry-wide one) is listed once.
        var seen = Set<String>()
        circuitBreakers = report.results.flatMap(\.outcome.circuitBreakers)
            .filter { seen.insert($0.name).inserted }
            .map(Breaker.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(status, forKey: .status)
        try container.encode(version, forKey: .version)
        try container.encode(details, forKey: .details)
        try container.encodeIfPresent(circuitBreakers.first, forKey: .circuitBreaker)
        if !circuitBreakers.isEmpty { try container.encode(circuitBreakers, forKey: .circuitBreakers) }
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
