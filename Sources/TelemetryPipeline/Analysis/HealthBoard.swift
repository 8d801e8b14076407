import CircuitBreakers
import Synchronization
import TelemetryCore
import TelemetryHTTPServer

/// Per-service health over a sliding window: error ratio, p99 latency and breaker state
/// decide `healthy`, `degraded` or `unhealthy`; changes raise alerts.
///
/// Service names come from incoming spans, so the board holds at most `max_services`
/// services: the rest share one entry, ``overflowService``, whose numbers stay exact in sum.
/// A service without spans for `service_expiration` leaves the board (and
/// `service_health_status`), which makes room for new ones.
package final class HealthBoard: Sendable {
    /// The `health` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// The sliding window (`window`, default 60s).
        package var window: Duration = .seconds(60)
        /// Error ratio from which a service is degraded (`degraded_error_ratio`, default 0.05).
        package var degradedErrorRatio = 0.05
        /// Error ratio from which a service is unhealthy (`unhealthy_error_ratio`, default 0.25).
        package var unhealthyErrorRatio = 0.25
        /// p99 latency from which a service is degraded (`degraded_latency_p99`, default 1s).
        package var degradedLatencyP99: Duration = .seconds(1)
        /// p99 latency from which a service is unhealthy (`unhealthy_latency_p99`, default 5s).
        package var unhealthyLatencyP99: Duration = .seconds(5)
        /// Most services on the board; spans of further services go to the overflow entry
        /// (`max_services`, default 1000).
        package var maxServices = 1_000
        /// A service without spans this long leaves the board (`service_expiration`, default
        /// 15m: well past the window, so a quiet service is not dropped and re-added between
        /// its requests; 0 keeps services until restart).
        package var serviceExpiration: Duration = .seconds(15 * 60)
        package static let `default` = Configuration()
    }

    /// The entry that stands for every service beyond `max_services`; the gauge shows it as
    /// `service_health_status{otel_metric_overflow="true"}`.
    package static let overflowService = "otel_metric_overflow"

    /// The seed's status values.
    package enum Status: String, Sendable, Codable, Comparable {
        case healthy, degraded, unhealthy

        /// `service_health_status` value: 0 healthy, 1 degraded, 2 unhealthy.
        package var gaugeValue: Double {
            switch self {
            case .healthy: 0
            case .degraded: 1
            case .unhealthy: 2
            }
        }

        package static func < (lhs: Self, rhs: Self) -> Bool { lhs.gaugeValue < rhs.gaugeValue }
    }

    /// One service's current picture.
    package struct ServiceHealth: Sendable, Equatable {
        package var service: String
        package var status: Status
        /// Requests in the window, weighted 1/p.
        package var requests: Double
        package var errorRatio: Double
        package var p99Seconds: Double
        package var meanSeconds: Double
        package var breaker: BreakerBoard.State
        package var reasons: [String]
        package var sinceNanos: UInt64

        /// Whether this is the entry of every service beyond `max_services`.
        package var isOverflow: Bool { service == HealthBoard.overflowService }
    }

    /// An alert in the seed's dashboard shape (`duration` is filled in when rendered).
    package struct Alert: Sendable, Equatable {
        package var level: String
        package var service: String
        package var message: String
        package var timeNanos: UInt64
    }

    /// Latency bucket upper bounds in seconds: 1 ms growing by 25 % to beyond a minute.
    static let latencyBounds: [Double] = (0..<52).map { 0.001 * pow125($0) }
    private static func pow125(_ n: Int) -> Double { (0..<n).reduce(1.0) { value, _ in value * 1.25 } }

    struct Slot {
        var epoch: Int64 = -1
        var requests = 0.0
        var errors = 0.0
        var latencyCount = 0.0
        var latencySum = 0.0
        var latencyBuckets = [Double](repeating: 0, count: HealthBoard.latencyBounds.count + 1)
    }

    struct ServiceState {
        var slots: [Slot]
        var status: Status = .healthy
        var sinceNanos: UInt64
        var lastSeenNanos: UInt64
        var last: ServiceHealth?
    }

    private struct State {
        var services: [String: ServiceState] = [:]
        var alerts: [Alert] = []

        /// Services on the board other than the overflow entry.
        var namedServiceCount: Int { services.count - (services[HealthBoard.overflowService] == nil ? 0 : 1) }
    }

    static let slotCount = 12
    let configuration: Configuration
    let slotNanos: Int64
    let alertLimit = 200
    private let state = Mutex(State())

    package init(configuration: Configuration) {
        self.configuration = configuration
        slotNanos = max(1, configuration.window.nanoseconds / Int64(Self.slotCount))
    }

    /// One service's requests of a batch, summed before they reach the board, so a batch takes
    /// the board's lock once per service instead of once per span.
    struct Contribution {
        var requests = 0.0
        var errors = 0.0
        var latencyCount = 0.0
        var latencySum = 0.0
        var latencyBuckets = [Double](repeating: 0, count: HealthBoard.latencyBounds.count + 1)

        /// Adds a request of `weight` (1/p), failed or not, and its latency.
        mutating func add(weight: Double, isError: Bool, latencySeconds: Double?) {
            requests += weight
            if isError { errors += weight }
            if let latencySeconds {
                latencyCount += weight
                latencySum += latencySeconds * weight
                latencyBuckets[HealthBoard.bucket(of: latencySeconds)] += weight
            }
        }
    }

    /// The first latency bucket whose bound is at least `seconds` (the overflow bucket past the last).
    static func bucket(of seconds: Double) -> Int {
        var low = 0
        var high = latencyBounds.count
        while low < high {
            let middle = (low + high) / 2
            if seconds <= latencyBounds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Records one request of a service at `now`.
    func record(service: String, weight: Double, isError: Bool, latencySeconds: Double?, now: UInt64) {
        var contribution = Contribution()
        contribution.add(weight: weight, isError: isError, latencySeconds: latencySeconds)
        record(service: service, contribution, now: now)
    }

    /// Records a batch's requests of one service at `now`.
    func record(service: String, _ contribution: Contribution, now: UInt64) {
        let epoch = Int64(now / UInt64(slotNanos))
        let index = Int(epoch % Int64(Self.slotCount))
        state.withLock { state in
            let key =
                state.services[service] != nil || state.namedServiceCount < configuration.maxServices
                ? service : Self.overflowService
            // In place through the dictionary's modify accessor: copying the entry out and
            // back would copy its slot arrays.
            Self.add(
                contribution,
                to: &state.services[key, default: ServiceState(slots: Array(repeating: Slot(), count: Self.slotCount), sinceNanos: now, lastSeenNanos: now)],
                slot: index, epoch: epoch, now: now)
        }
    }

    private static func add(_ contribution: Contribution, to entry: inout ServiceState, slot index: Int, epoch: Int64, now: UInt64) {
        entry.lastSeenNanos = max(entry.lastSeenNanos, now)
        if entry.slots[index].epoch != epoch { entry.slots[index] = Slot(epoch: epoch) }
        entry.slots[index].requests += contribution.requests
        entry.slots[index].errors += contribution.errors
        guard contribution.latencyCount > 0 else { return }
        entry.slots[index].latencyCount += contribution.latencyCount
        entry.slots[index].latencySum += contribution.latencySum
        for bucket in contribution.latencyBuckets.indices where contribution.latencyBuckets[bucket] != 0 {
            entry.slots[index].latencyBuckets[bucket] += contribution.latencyBuckets[bucket]
        }
    }

    /// Re-evaluates every service at `now`, raising alerts for changes; returns the picture.
    @discardableResult
    func evaluate(now: UInt64, breakers: BreakerBoard?) -> [ServiceHealth] {
        let epoch = Int64(now / UInt64(slotNanos))
        let oldest = epoch - Int64(Self.slotCount) + 1
        // Stale breakers (not heard from within the board's `stale_after`) no longer count.
        let breakerStates =
            breakers.map { board in
                Dictionary(board.current(now: now).map { ($0.service, $0.state) }, uniquingKeysWith: BreakerBoard.State.worse)
            } ?? [:]
        let idleNanos = configuration.serviceExpiration.saturatingNanoseconds
        return state.withLock { state in
            if idleNanos > 0, now > idleNanos, state.services.values.contains(where: { $0.lastSeenNanos < now - idleNanos }) {
                state.services = state.services.filter { $0.value.lastSeenNanos >= now - idleNanos }
            }
            var result: [ServiceHealth] = []
            for service in state.services.keys.sorted() {
                guard var entry = state.services[service] else { continue }
                var requests = 0.0, errors = 0.0, latencyCount = 0.0, latencySum = 0.0
                var buckets = [Double](repeating: 0, count: Self.latencyBounds.count + 1)
                for slot in entry.slots where slot.epoch >= oldest && slot.epoch <= epoch {
                    requests += slot.requests
                    errors += slot.errors
                    latencyCount += slot.latencyCount
                    latencySum += slot.latencySum
                    for i in buckets.indices { buckets[i] += slot.latencyBuckets[i] }
                }
                let ratio = requests > 0 ? errors / requests : 0
                let p99 = Self.quantile(0.99, buckets: buckets, count: latencyCount)
                let breaker = breakerStates[service] ?? .closed
                var status = Status.healthy
                var reasons: [String] = []
                func raise(_ to: Status, _ reason: String) {
                    status = max(status, to)
                    reasons.append(reason)
                }
                if ratio >= configuration.unhealthyErrorRatio {
                    raise(.unhealthy, "error ratio \(HealthDashboard.percent(ratio)) at or above \(HealthDashboard.percent(configuration.unhealthyErrorRatio))")
                } else if ratio >= configuration.degradedErrorRatio {
                    raise(.degraded, "error ratio \(HealthDashboard.percent(ratio)) at or above \(HealthDashboard.percent(configuration.degradedErrorRatio))")
                }
                if p99 >= configuration.unhealthyLatencyP99.seconds {
                    raise(.unhealthy, "p99 latency \(Self.millis(p99)) at or above \(Self.millis(configuration.unhealthyLatencyP99.seconds))")
                } else if p99 >= configuration.degradedLatencyP99.seconds {
                    raise(.degraded, "p99 latency \(Self.millis(p99)) at or above \(Self.millis(configuration.degradedLatencyP99.seconds))")
                }
                switch breaker {
                case .open: raise(.unhealthy, "circuit breaker open")
                case .halfOpen: raise(.degraded, "circuit breaker half-open")
                case .closed: break
                }
                if status != entry.status {
                    let level =
                        switch status {
                        case .unhealthy: "critical"
                        case .degraded: "warning"
                        case .healthy: "info"
                        }
                    let message =
                        status == .healthy
                        ? "Service recovered: healthy"
                        : "Service \(status.rawValue): " + reasons.joined(separator: "; ")
                    state.alerts.append(Alert(level: level, service: service, message: message, timeNanos: now))
                    if state.alerts.count > alertLimit { state.alerts.removeFirst(state.alerts.count - alertLimit) }
                    entry.status = status
                    entry.sinceNanos = now
                }
                let health = ServiceHealth(
                    service: service, status: status, requests: requests, errorRatio: ratio, p99Seconds: p99,
                    meanSeconds: latencyCount > 0 ? latencySum / latencyCount : 0, breaker: breaker, reasons: reasons,
                    sinceNanos: entry.sinceNanos)
                entry.last = health
                state.services[service] = entry
                result.append(health)
            }
            return result
        }
    }

    /// The last evaluated picture, without re-evaluating.
    package func snapshot() -> [ServiceHealth] {
        state.withLock { $0.services.values.compactMap(\.last) }.sorted { $0.service < $1.service }
    }

    /// Alerts, oldest first.
    package func alerts() -> [Alert] { state.withLock { $0.alerts } }

    /// The upper bound of the bucket holding the q-quantile; 0 with no observations.
    static func quantile(_ q: Double, buckets: [Double], count: Double) -> Double {
        guard count > 0 else { return 0 }
        let target = q * count
        var cumulative = 0.0
        for (index, value) in buckets.enumerated() {
            cumulative += value
            if cumulative >= target - 1e-9 {
                return index < latencyBounds.count ? latencyBounds[index] : latencyBounds[latencyBounds.count - 1] * 1.25
            }
        }
        return latencyBounds[latencyBounds.count - 1] * 1.25
    }

    static func millis(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded()))ms" }
}
