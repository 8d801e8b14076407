import Foundation
import Synchronization
import TelemetryCore

/// Per-service request and error tallies (sampling-adjusted) and a bounded list of recent
/// errors: what `/monitoring/errors/stats` and `/monitoring/errors/details` serve.
package final class ErrorLedger: Sendable {
    /// One recorded error, as `/monitoring/errors/details` lists it.
    package struct Record: Sendable, Codable, Equatable {
        package var timestamp: String
        package var service: String
        package var type: String
        package var severity: String
        package var message: String
        package var spanName: String
        package var traceID: String
        package var spanID: String
        package var weight: Double

        enum CodingKeys: String, CodingKey {
            case timestamp, service, type, severity, message, weight
            case spanName = "span_name"
            case traceID = "trace_id"
            case spanID = "span_id"
        }
    }

    struct ServiceTally: Sendable {
        var requests = 0.0
        var errors = 0.0
        var byType: [String: Double] = [:]
        var bySeverity: [String: Double] = [:]
    }

    private struct State {
        var services: [String: ServiceTally] = [:]
        var recent: [Record] = []
        var next = 0
    }

    let recentLimit: Int
    private let state = Mutex(State())

    package init(recentLimit: Int = 1000) {
        self.recentLimit = recentLimit
    }

    /// Counts `weight` requests for `service`.
    package func recordRequests(service: String, weight: Double) {
        state.withLock { $0.services[service, default: ServiceTally()].requests += weight }
    }

    /// Records one error span.
    package func recordError(_ span: SpanData, classification: SpanErrorClassification, weight: Double) {
        let description: String? = if case .error(let text) = span.status { text } else { nil }
        let message = span.events.first { $0.name == "exception" }?.attributes["exception.message"]?.stringValue
            ?? description ?? span.name
        let record = Record(
            timestamp: Self.iso8601(nanos: span.endTimeNanos), service: span.resource.serviceName,
            type: classification.type, severity: classification.severity, message: message, spanName: span.name,
            traceID: span.traceID.hexString, spanID: span.spanID.hexString, weight: weight)
        state.withLock { state in
            var tally = state.services[record.service, default: ServiceTally()]
            tally.errors += weight
            tally.byType[record.type, default: 0] += weight
            tally.bySeverity[record.severity, default: 0] += weight
            state.services[record.service] = tally
            if state.recent.count < recentLimit {
                state.recent.append(record)
            } else {
                state.recent[state.next] = record
            }
            state.next = (state.next + 1) % recentLimit
        }
    }

    func tallies() -> [String: ServiceTally] { state.withLock { $0.services } }

    /// Most recent first, filtered by service and type.
    package func details(service: String?, type: String?, limit: Int) -> [Record] {
        let (recent, next) = state.withLock { ($0.recent, $0.next) }
        let ordered = recent.count < recentLimit ? Array(recent.reversed()) : Array((recent[next...] + recent[..<next]).reversed())
        return Array(ordered.lazy.filter { (service == nil || $0.service == service) && (type == nil || $0.type == type) }.prefix(limit))
    }

    static func iso8601(nanos: UInt64) -> String {
        let date = Date(timeIntervalSince1970: Double(nanos) / 1e9)
        return date.formatted(.iso8601)
    }
}
