import Synchronization
import TelemetryCore

/// What a span is to the service that sent it, in the pipeline's request semantics.
enum RequestRole: UInt8 {
    /// Not a request: an outgoing call, internal work, a breaker report.
    case none
    /// A request that entered from another service of the trace.
    case request
    /// A request at the edge of the system: the root of its trace.
    case edgeRequest

    var isRequest: Bool { self != .none }
}

/// Decides which spans are requests: a service's requests are its entry spans (SERVER and
/// CONSUMER), and, for a service that sends no entry spans (a batch job, a cron task), its
/// root spans of any kind. Each request is then counted once for its service, however many
/// outgoing calls and internal spans it made.
///
/// "Sends no entry spans" is learned from the stream: a service is remembered once one of
/// its entry spans arrives, so from then on its root CLIENT or INTERNAL spans (a
/// health-check ping, a background refresh) no longer count as requests. The memory holds at
/// most `maximumServices`; when it is full, services without an entry span for
/// `idleExpiry` are forgotten, so names a hostile client sent once cannot crowd out real
/// services for good. A service that still finds no room is judged by its current batch alone.
package final class RequestRoles: Sendable {
    /// The default bound on remembered services.
    package static let defaultMaximumServices = 10_000

    private struct Memory {
        var lastEntrySpanNanos: [String: UInt64] = [:]
        var lastPurgeNanos: UInt64 = 0
    }

    private let memory = Mutex(Memory())
    let maximumServices: Int
    let idleExpiryNanos: UInt64

    package init(maximumServices: Int = RequestRoles.defaultMaximumServices, idleExpiry: Duration = .seconds(15 * 60)) {
        self.maximumServices = maximumServices
        self.idleExpiryNanos = idleExpiry.saturatingNanoseconds
    }

    /// A batch's services and each span's role in it.
    struct Batch {
        /// The batch's services, numbered in order of appearance.
        var serviceNames: [String]
        /// Each span's index into `serviceNames`.
        var serviceOfSpan: [Int]
        /// Each span's role.
        var roles: [RequestRole]
    }

    /// Numbers the services of a batch seen at `now` and decides each span's role.
    func batch(_ spans: UnsafeBufferPointer<TelemetrySpanData>, now: UInt64) -> Batch {
        var services = ServiceIndex()
        var serviceOfSpan: [Int] = []
        serviceOfSpan.reserveCapacity(spans.count)
        for index in spans.indices { serviceOfSpan.append(services.index(of: spans[index].resource)) }
        let roles = roles(spans, serviceOfSpan: serviceOfSpan, serviceNames: services.names, now: now)
        return Batch(serviceNames: services.names, serviceOfSpan: serviceOfSpan, roles: roles)
    }

    /// The role of each span of a batch seen at `now`; `serviceOfSpan[i]` is span i's index
    /// into `serviceNames`.
    func roles(_ spans: UnsafeBufferPointer<TelemetrySpanData>, serviceOfSpan: [Int], serviceNames: [String], now: UInt64) -> [RequestRole] {
        var hasEntrySpans = [Bool](repeating: false, count: serviceNames.count)
        for index in spans.indices where spans[index].kind.isEntry { hasEntrySpans[serviceOfSpan[index]] = true }
        memory.withLock { memory in
            for service in serviceNames.indices {
                if hasEntrySpans[service] {
                    remember(serviceNames[service], now: now, in: &memory)
                } else if memory.lastEntrySpanNanos[serviceNames[service]] != nil {
                    hasEntrySpans[service] = true
                }
            }
        }
        var roles = [RequestRole](repeating: .none, count: spans.count)
        for index in spans.indices {
            let isRoot = spans[index].parentSpanID == nil
            if spans[index].kind.isEntry {
                roles[index] = isRoot ? .edgeRequest : .request
            } else if isRoot, !hasEntrySpans[serviceOfSpan[index]], !spans[index].isBreakerReport {
                roles[index] = .edgeRequest
            }
        }
        return roles
    }

    private func remember(_ service: String, now: UInt64, in memory: inout Memory) {
        if memory.lastEntrySpanNanos[service] != nil || memory.lastEntrySpanNanos.count < maximumServices {
            memory.lastEntrySpanNanos[service] = now
            return
        }
        // Full: forget idle services, at most once a minute (each purge reads every entry).
        guard now >= memory.lastPurgeNanos &+ 60_000_000_000 || now < memory.lastPurgeNanos else { return }
        memory.lastPurgeNanos = now
        let cutoff = now > idleExpiryNanos ? now - idleExpiryNanos : 0
        memory.lastEntrySpanNanos = memory.lastEntrySpanNanos.filter { $0.value >= cutoff }
        if memory.lastEntrySpanNanos.count < maximumServices { memory.lastEntrySpanNanos[service] = now }
    }

    /// Services remembered as sending entry spans.
    var rememberedCount: Int { memory.withLock { $0.lastEntrySpanNanos.count } }
}

extension TelemetrySpanKind {
    /// SERVER and CONSUMER: the spans by which work enters a service.
    var isEntry: Bool { self == .server || self == .consumer }
}

extension TelemetrySpanData {
    /// A breaker's own state-change or state-report span, which is never a request.
    var isBreakerReport: Bool {
        parentSpanID == nil && kind == .internal
            && (name == BreakerReports.stateChange || name == BreakerReports.stateReport)
    }
}

/// The names of the spans and events by which SDKs report breakers.
enum BreakerReports {
    static let stateChange = "circuit_breaker.state_change"
    static let stateReport = "circuit_breaker.report"
    static let rejected = "circuit_breaker.rejected"
}

/// Requests at the edge of the system (roots of their traces), for the dashboard's
/// `gateway.requests`, weighted 1/p.
package final class EdgeRequestTally: Sendable {
    private let totals = Mutex<(requests: Double, failed: Double)>((0, 0))

    package init() {}

    func add(requests: Double, failed: Double) {
        guard requests > 0 else { return }
        totals.withLock { totals in
            totals.requests += requests
            totals.failed += failed
        }
    }

    /// Edge requests and failed edge requests since start.
    package var current: (requests: Double, failed: Double) { totals.withLock { $0 } }
}
