import CircuitBreakers
import Foundation
import Synchronization
import TelemetryCore

/// Each service's circuit breakers, as their SDKs report them: state-change spans and
/// periodic state reports (recorded at any sampling ratio), and `circuit_breaker.*` events
/// on sampled request spans.
///
/// States are ordered by the time they were true at the breaker, not by arrival: a report
/// older than what is known only counts. A change reported twice (as an event on a sampled
/// request and as its own span, or resent by a retrying exporter) counts once: SDKs give
/// both the same timestamp. A breaker not heard from within `staleAfter` is stale: listed
/// as such, but no longer counted toward health nor published in `circuit_breaker_state`;
/// after `expireAfter` it is forgotten.
package final class BreakerBoard: Sendable {
    /// A breaker state: the `CircuitBreakers` module's, with the seed's names.
    package typealias State = CircuitBreaker.State

    /// The `circuit_breakers` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// How long a breaker stays current without news (`stale_after`, default 2m: four
        /// missed reports at the SDK's default 30 s interval).
        package var staleAfter: Duration = .seconds(120)
        /// How long a breaker is kept without news before it is forgotten (`expire_after`, default 1h).
        package var expireAfter: Duration = .seconds(3600)
        /// Most breakers tracked (`max_breakers`, default 2000); news of others is counted
        /// in `pipeline_breakers_overflow_total` and otherwise dropped.
        package var maxBreakers = 2000
        package static let `default` = Configuration()
    }

    /// One breaker as the board knows it; `/monitoring/circuit-breakers` lists it as a
    /// `CircuitBreakerStatusResponse.Breaker` and the dashboard summarises it.
    package struct Breaker: Sendable, Equatable {
        /// The service hosting the breaker (its spans' `service.name`), not the one it guards.
        package var service: String
        package var name: String
        package var state: State
        package var stateChanges: Int
        package var rejected: Double
        package var lastChangeNanos: UInt64
        package var lastHeardNanos: UInt64
        package var stale: Bool
    }

    struct Key: Hashable { var service: String; var name: String }

    /// A change as its SDK timestamped it: what makes an event and its span one change.
    struct Change: Hashable { var time: UInt64; var to: State }

    private struct Entry {
        var breaker: Breaker
        /// When the current state was known to be true at the breaker.
        var stateAsOfNanos: UInt64
        /// The latest changes seen, for recognising repeats.
        var recentChanges: [Change] = []
        static let rememberedChanges = 64
    }

    private struct Board {
        var entries: [Key: Entry] = [:]
        var overflowed = 0
    }

    let configuration: Configuration
    private let board = Mutex(Board())

    package init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    /// Applies a state change that happened at `time`, heard at `now`; returns whether it was
    /// news (not a repeat of a change already seen, and within the board's bound).
    @discardableResult
    func apply(service: String, name: String, to state: State, at time: UInt64, now: UInt64) -> Bool {
        update(service: service, name: name, now: now, newState: state, asOf: time) { entry in
            let change = Change(time: time, to: state)
            if entry.recentChanges.contains(change) { return false }
            entry.recentChanges.append(change)
            if entry.recentChanges.count > Entry.rememberedChanges { entry.recentChanges.removeFirst() }
            entry.breaker.stateChanges += 1
            let time = Self.bounded(time, now: now)
            if time >= entry.stateAsOfNanos {
                entry.breaker.state = state
                entry.stateAsOfNanos = time
            }
            entry.breaker.lastChangeNanos = max(entry.breaker.lastChangeNanos, time)
            return true
        }
    }

    /// Applies a periodic report that the breaker was in `state` at `time`, heard at `now`.
    func report(service: String, name: String, state: State, at time: UInt64, now: UInt64) {
        update(service: service, name: name, now: now, newState: state, asOf: time) { entry in
            let time = Self.bounded(time, now: now)
            if time >= entry.stateAsOfNanos {
                entry.breaker.state = state
                entry.stateAsOfNanos = time
            }
            return true
        }
    }

    /// How far ahead of the pipeline's clock a reported time is believed.
    static let futureTolerance: UInt64 = 60_000_000_000

    /// `time`, or the pipeline's `now` plus the tolerance if later: one span stamped far in the
    /// future (a host whose clock was stepped back, or a hostile sender) would otherwise
    /// outrank every genuine report after it and freeze the breaker's state.
    static func bounded(_ time: UInt64, now: UInt64) -> UInt64 {
        let (limit, overflow) = now.addingReportingOverflow(futureTolerance)
        return overflow ? time : min(time, limit)
    }

    /// Counts rejections seen at `time`; a rejection means the breaker was open (or half-open
    /// with its probe budget spent, as `state` says) then, even if its transition went unseen.
    func reject(service: String, name: String, in state: State = .open, weight: Double, at time: UInt64, now: UInt64) {
        update(service: service, name: name, now: now, newState: state, asOf: time) { entry in
            entry.breaker.rejected += weight
            return true
        }
    }

    @discardableResult
    private func update(
        service: String, name: String, now: UInt64, newState: State, asOf time: UInt64, _ body: (inout Entry) -> Bool
    ) -> Bool {
        board.withLock { board in
            let key = Key(service: service, name: name)
            if board.entries[key] == nil {
                guard board.entries.count < configuration.maxBreakers else {
                    board.overflowed += 1
                    return false
                }
                board.entries[key] = Entry(
                    breaker: Breaker(
                        service: service, name: name, state: newState, stateChanges: 0, rejected: 0, lastChangeNanos: 0,
                        lastHeardNanos: now, stale: false),
                    stateAsOfNanos: 0)
            }
            board.entries[key]!.breaker.lastHeardNanos = max(board.entries[key]!.breaker.lastHeardNanos, now)
            return body(&board.entries[key]!)
        }
    }

    /// Every breaker at `now`, staleness marked, sorted by service and name.
    package func snapshot(now: UInt64) -> [Breaker] {
        let staleNanos = configuration.staleAfter.saturatingNanoseconds
        return board.withLock { board in
            board.entries.values.map { entry in
                var breaker = entry.breaker
                breaker.stale = now > breaker.lastHeardNanos && now - breaker.lastHeardNanos > staleNanos
                return breaker
            }
        }.sorted { ($0.service, $0.name) < ($1.service, $1.name) }
    }

    /// Breakers heard from within `staleAfter`, the ones health and the state gauge count.
    package func current(now: UInt64) -> [Breaker] { snapshot(now: now).filter { !$0.stale } }

    /// The worst state among a service's current breakers (`closed` when it has none).
    package func worstState(service: String, now: UInt64) -> State {
        current(now: now).filter { $0.service == service }.map(\.state).reduce(.closed, State.worse)
    }

    /// Forgets breakers not heard from within `expireAfter`; returns how many.
    @discardableResult
    func expire(now: UInt64) -> Int {
        let expiry = configuration.expireAfter.saturatingNanoseconds
        return board.withLock { board in
            let before = board.entries.count
            board.entries = board.entries.filter { now <= $0.value.breaker.lastHeardNanos || now - $0.value.breaker.lastHeardNanos <= expiry }
            return before - board.entries.count
        }
    }

    /// Reports of breakers that did not fit under `maxBreakers`, since start.
    var overflowed: Int { board.withLock { $0.overflowed } }

    /// Forgets the observed state of matching breakers (all when both are nil) as of `now`, so
    /// only news newer than the reset changes them again; returns how many.
    @discardableResult
    package func reset(service: String?, name: String?, now: UInt64) -> Int {
        board.withLock { board in
            var count = 0
            for key in board.entries.keys
            where (service == nil || key.service == service) && (name == nil || key.name == name) {
                board.entries[key]!.breaker.state = .closed
                board.entries[key]!.stateAsOfNanos = max(board.entries[key]!.stateAsOfNanos, now)
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
