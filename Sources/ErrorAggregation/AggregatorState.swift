import Metrics
import TelemetryCore

/// Everything an aggregator remembers; mutated only under its lock.
struct AggregatorState {
    struct ErrorKey: Hashable {
        var type: ErrorType
        var severity: Severity
    }

    struct ServiceState {
        var requests = WindowedCount()
        var errors: [ErrorKey: WindowedCount] = [:]

        func errors(of type: ErrorType?, in window: ErrorWindow, now: Int64) -> Double {
            var total = 0.0
            for (key, count) in errors where type == nil || key.type == type {
                total += count.sum(window, now: now)
            }
            return total
        }
    }

    struct Sample {
        var message: String
        var traceID: TraceID?
        var spanID: SpanID?
        var time: Int64
        var severity: Severity
    }

    struct Group {
        var fingerprint: ErrorFingerprint
        var id: String
        var severity: Severity
        var count: Double
        var firstSeen: Int64
        var lastSeen: Int64
        /// Oldest first; bounded by `samplesPerGroup`.
        var samples: [Sample]
    }

    struct AlertKey: Hashable {
        var rule: String
        var service: String
    }

    struct AlertProgress {
        /// When the condition started to hold.
        var since: Int64
        var firing = false
        var rate = 0.0
    }

    struct GaugeKey: Hashable {
        var service: String
        var type: ErrorType
    }

    static let overflowService = "other"

    var services: [String: ServiceState] = [:]
    var groups: [ErrorFingerprint: Group] = [:]
    var alerts: [AlertKey: AlertProgress] = [:]
    /// Oldest first; bounded by `resolvedAlertHistory`.
    var resolvedAlerts: [Alert] = []
    var gauges: [GaugeKey: Gauge] = [:]

    /// The name under which `service` is counted: itself, or `other` once the limit is reached.
    mutating func serviceKey(_ service: String, limit: Int) -> String {
        if services[service] != nil { return service }
        if services.count < limit {
            services[service] = ServiceState()
            return service
        }
        if services[Self.overflowService] == nil { services[Self.overflowService] = ServiceState() }
        return Self.overflowService
    }

    func errorRate(service: String, type: ErrorType?, window: ErrorWindow, now: Int64) -> (rate: Double?, requests: Double) {
        guard let state = services[service] else { return (nil, 0) }
        let requests = state.requests.sum(window, now: now)
        guard requests > 0 else { return (nil, 0) }
        return (state.errors(of: type, in: window, now: now) / requests, requests)
    }

    mutating func addToGroup(
        _ fingerprint: ErrorFingerprint,
        sample: Sample,
        weight: Double,
        configuration: ErrorAggregator.Configuration
    ) {
        if var group = groups[fingerprint] {
            group.count += weight
            group.lastSeen = sample.time
            group.severity = max(group.severity, sample.severity)
            if configuration.samplesPerGroup > 0 {
                if group.samples.count >= configuration.samplesPerGroup { group.samples.removeFirst() }
                group.samples.append(sample)
            }
            groups[fingerprint] = group
            return
        }
        if groups.count >= configuration.maximumGroups,
            let stalest = groups.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key
        {
            groups[stalest] = nil
        }
        groups[fingerprint] = Group(
            fingerprint: fingerprint,
            id: Self.identifier(of: fingerprint),
            severity: sample.severity,
            count: weight,
            firstSeen: sample.time,
            lastSeen: sample.time,
            samples: configuration.samplesPerGroup > 0 ? [sample] : []
        )
    }

    /// FNV-1a over the fingerprint's text: stable across runs, unlike `hashValue`.
    static func identifier(of fingerprint: ErrorFingerprint) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fingerprint.description.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
