import CircuitBreakers
import Foundation
import Hummingbird

/// Body of `GET /monitoring/circuit-breakers` (and a service's `GET /circuit-breakers/status`):
/// the one shape that a service (from its own breakers) and the pipeline (from the breakers'
/// spans) both serve, so one client reads either.
///
/// ```json
/// {
///   "timestamp": "2024-11-03T10:30:00Z",
///   "circuit_breakers": [
///     {"host_service": "auth-service", "name": "user-client", "state": "CLOSED", "guarded_service": "user-service",
///      "counts": {"requests": 3, "total_successes": 3, …}, "time_in_state_seconds": 12.5, "isolated": false, "generation": 4}
///   ]
/// }
/// ```
///
/// Every breaker has `host_service` (the service the breaker runs in, which calls through it),
/// `name` and `state` (`CLOSED`, `HALF_OPEN` or `OPEN`). `host_service` is not the seed's
/// `/health` `circuit_breaker.service`, which is the service guarded: that one is
/// `guarded_service` here. Every other key is optional, present only where the server knows it:
///
/// - a service, reading its own breakers: `guarded_service` (when its registry knows it),
///   `counts`, `time_in_state_seconds`, `next_probe_seconds` (open and not isolated only),
///   `isolated`, `generation`;
/// - the pipeline, rebuilding breakers from their spans: `stale`, `state_changes`, `rejected`
///   (sampling-adjusted), `last_report`, and `last_change` (once a change was seen).
public struct CircuitBreakerStatusResponse: ResponseEncodable, Decodable, Sendable, Equatable {
    /// When the body was made, ISO 8601 in UTC.
    public var timestamp: String
    /// Every breaker, sorted by host service and name.
    public var circuitBreakers: [Breaker]

    /// Creates a response body.
    public init(timestamp: String, circuitBreakers: [Breaker]) {
        self.timestamp = timestamp
        self.circuitBreakers = circuitBreakers
    }

    /// Creates a service's response body from its breakers' statuses.
    public init(hostService: String, statuses: [CircuitBreakerStatus], at date: Date) {
        self.init(
            timestamp: Self.timestamp(date),
            circuitBreakers: statuses.map { Breaker(hostService: hostService, status: $0) })
    }

    /// The body's timestamp format: ISO 8601, UTC, whole seconds.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case circuitBreakers = "circuit_breakers"
    }

    /// One breaker: `host_service`, `name` and `state` always; the rest where known (see
    /// ``CircuitBreakerStatusResponse``).
    public struct Breaker: Codable, Sendable, Hashable {
        /// The service the breaker runs in.
        public var hostService: String
        /// The breaker's name.
        public var name: String
        /// `CLOSED`, `HALF_OPEN` or `OPEN`.
        public var state: CircuitBreaker.State
        /// The service the breaker stands in front of (the seed's `/health` `circuit_breaker.service`).
        public var guardedService: String?

        // Known to the service hosting the breaker.
        /// Counts of the current generation. Service only.
        public var counts: Counts?
        /// Seconds since the breaker entered its current state. Service only.
        public var timeInStateSeconds: Double?
        /// Seconds until the open breaker admits a probe. Service only, when open and not isolated.
        public var nextProbeSeconds: Double?
        /// Whether the breaker was isolated by hand. Service only.
        public var isolated: Bool?
        /// Incremented on every state change and count reset. Service only.
        public var generation: UInt64?

        // Known to the pipeline, which hears of the breaker through spans.
        /// Whether the breaker was not heard from within `stale_after`. Pipeline only.
        public var stale: Bool?
        /// State changes seen. Pipeline only.
        public var stateChanges: Int?
        /// Rejected requests seen, sampling-adjusted. Pipeline only.
        public var rejected: Double?
        /// When the pipeline last heard of the breaker, ISO 8601. Pipeline only.
        public var lastReport: String?
        /// When the latest change seen happened at the breaker, ISO 8601. Pipeline only, once a change was seen.
        public var lastChange: String?

        /// Creates a breaker entry with only the keys both sides know.
        public init(hostService: String, name: String, state: CircuitBreaker.State, guardedService: String? = nil) {
            self.hostService = hostService
            self.name = name
            self.state = state
            self.guardedService = guardedService
        }

        /// Creates a service's entry for one of its breakers.
        public init(hostService: String, status: CircuitBreakerStatus) {
            self.init(hostService: hostService, name: status.name, state: status.state, guardedService: status.guardedService)
            counts = status.counts
            timeInStateSeconds = status.timeInStateSeconds
            nextProbeSeconds = status.nextProbeSeconds
            isolated = status.isolated
            generation = status.generation
        }

        enum CodingKeys: String, CodingKey {
            case hostService = "host_service"
            case name, state
            case guardedService = "guarded_service"
            case counts
            case timeInStateSeconds = "time_in_state_seconds"
            case nextProbeSeconds = "next_probe_seconds"
            case isolated, generation, stale, rejected
            case stateChanges = "state_changes"
            case lastReport = "last_report"
            case lastChange = "last_change"
        }
    }
}
