import CircuitBreaker
import Foundation
import Synchronization
import TelemetryCore

/// Each service's circuit breakers as rebuilt from the SDK's `circuit_breaker.*` span events.
package final class BreakerBoard: Sendable {
    /// A breaker state: the CircuitBreaker module's, with the seed's names.
    package typealias State = CircuitBreaker.State

    /// One breaker as `/monitoring/circuit-breakers` lists it and the dashboard summarises it.
    package struct Breaker: Sendable, Encodable, Equatable {
        package var service: String
        package var name: String
        package var state: State
        package var stateChanges: Int
        package var rejected: Double
        package var lastChangeNanos: UInt64

        enum CodingKeys: String, CodingKey {
            case service, name, state, rejected
            case stateChanges = "state_changes"
            case lastChange = "last_change"
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(service, forKey: .service)
            try container.encode(name, forKey: .name)
            try container.encode(state, forKey: .state)
            try container.encode(stateChanges, forKey: .stateChanges)
            try container.encode(rejected, forKey: .rejected)
            if lastChangeNanos == 0 {
                try container.encodeNil(forKey: .lastChange)
            } else {
                try container.encode(MonitoringAPI.iso(lastChangeNanos), forKey: .lastChange)
            }
        }
    }

    struct Key: Hashable { var service: String; var name: String }

    private let breakers = Mutex<[Key: Breaker]>([:])

    package init() {}

    /// Applies a state change observed at `time`; older news than what is known only counts.
    func apply(service: String, name: String, to state: State, at time: UInt64) {
        breakers.withLock { breakers in
            let key = Key(service: service, name: name)
            var breaker = breakers[key] ?? Breaker(service: service, name: name, state: .closed, stateChanges: 0, rejected: 0, lastChangeNanos: 0)
            breaker.stateChanges += 1
            if time >= breaker.lastChangeNanos {
                breaker.state = state
                breaker.lastChangeNanos = time
            }
            breakers[key] = breaker
        }
    }

    func reject(service: String, name: String, weight: Double, at time: UInt64) {
        breakers.withLock { breakers in
            let key = Key(service: service, name: name)
            // A rejection means the breaker was open then, even if its transition went unseen.
            var breaker = breakers[key] ?? Breaker(service: service, name: name, state: .open, stateChanges: 0, rejected: 0, lastChangeNanos: time)
            breaker.rejected += weight
            breakers[key] = breaker
        }
    }

    /// Every breaker, sorted by service and name.
    package func snapshot() -> [Breaker] {
        breakers.withLock { Array($0.values) }.sorted { ($0.service, $0.name) < ($1.service, $1.name) }
    }

    /// The worst state among a service's breakers (`closed` when it has none).
    package func worstState(service: String) -> State {
        breakers.withLock { $0.values.filter { $0.service == service }.map(\.state).reduce(.closed, State.worse) }
    }

    /// Forgets the observed state of matching breakers (all when both are nil); returns how many.
    @discardableResult
    package func reset(service: String?, name: String?) -> Int {
        breakers.withLock { breakers in
            var count = 0
            for (key, var breaker) in breakers
            where (service == nil || key.service == service) && (name == nil || key.name == name) {
                breaker.state = .closed
                breakers[key] = breaker
                count += 1
            }
            return count
        }
    }
}

extension CircuitBreaker.State {
    /// Reads `OPEN`, `open`, `half-open`, `half_open`, `halfOpen` and the like, as span
    /// events from SDKs other than ours spell them.
    init?(text: String) {
        switch text.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "closed": self = .closed
        case "half_open", "halfopen": self = .halfOpen
        case "open": self = .open
        default: return nil
        }
    }

    /// The seed's gauge value as a double: 0 closed, 1 half-open, 2 open.
    var gaugeValue: Double { Double(metricValue) }

    /// The worse of two states (open over half-open over closed).
    static func worse(_ lhs: Self, _ rhs: Self) -> Self {
        lhs.metricValue >= rhs.metricValue ? lhs : rhs
    }
}
