import Synchronization
import TelemetryCore

extension ErrorAggregator {
    /// Totals and rates by service, type and severity, plus firing alerts; evaluates the
    /// alert rules first.
    public func stats() -> ErrorStatsSnapshot {
        evaluate()
        let now = now()
        return state.withLock { state in
            var total = ServiceAccumulator()
            var windowTotals: [ErrorWindow: ServiceAccumulator] = [:]
            var services: [String: ErrorStatsSnapshot.ServiceStats] = [:]
            for (name, service) in state.services {
                var lifetime = ServiceAccumulator()
                lifetime.requests = service.requests.total
                for (key, count) in service.errors { lifetime.add(key, count.total) }
                total.merge(lifetime)

                var windows: [String: ErrorStatsSnapshot.WindowStats] = [:]
                for window in ErrorWindow.allCases {
                    var accumulator = ServiceAccumulator()
                    accumulator.requests = service.requests.sum(window, now: now)
                    for (key, count) in service.errors { accumulator.add(key, count.sum(window, now: now)) }
                    windowTotals[window, default: ServiceAccumulator()].merge(accumulator)
                    windows[window.rawValue] = accumulator.windowStats(window)
                }
                var rates: [String: Double] = [:]
                let rateWindow = configuration.rateWindow
                let requests = service.requests.sum(rateWindow, now: now)
                for type in Set(service.errors.keys.map(\.type)) {
                    rates[type.rawValue] = requests > 0 ? min(1, service.errors(of: type, in: rateWindow, now: now) / requests) : 0
                }
                services[name] = ErrorStatsSnapshot.ServiceStats(
                    totalErrors: lifetime.errors,
                    totalRequests: lifetime.requests,
                    byType: lifetime.byType,
                    bySeverity: lifetime.bySeverity,
                    errorRates: rates,
                    windows: windows
                )
            }
            var windows: [String: ErrorStatsSnapshot.WindowStats] = [:]
            for window in ErrorWindow.allCases {
                windows[window.rawValue] = (windowTotals[window] ?? ServiceAccumulator()).windowStats(window)
            }
            return ErrorStatsSnapshot(
                timestamp: timestamp(now),
                totalErrors: total.errors,
                totalRequests: total.requests,
                byType: total.byType,
                bySeverity: total.bySeverity,
                windows: windows,
                services: services,
                alerts: activeAlertsLocked(state, now: now)
            )
        }
    }

    /// Error groups, most recently seen first, optionally filtered by service and type.
    ///
    /// - Parameter limit: At most this many groups (default 50).
    public func details(service: String? = nil, type: ErrorType? = nil, limit: Int = 50) -> ErrorDetailsSnapshot {
        let now = now()
        return state.withLock { state in
            let matching = state.groups.values
                .filter { (service == nil || $0.fingerprint.service == service) && (type == nil || $0.fingerprint.type == type) }
                .sorted { $0.lastSeen != $1.lastSeen ? $0.lastSeen > $1.lastSeen : $0.id < $1.id }
            let groups = matching.prefix(max(0, limit)).map { group in
                ErrorGroup(
                    fingerprint: group.id,
                    service: group.fingerprint.service,
                    type: group.fingerprint.type,
                    severity: group.severity,
                    message: group.fingerprint.normalizedMessage,
                    count: group.count,
                    firstSeen: timestamp(group.firstSeen),
                    lastSeen: timestamp(group.lastSeen),
                    samples: group.samples.reversed().map { sample in
                        ErrorSample(
                            message: sample.message,
                            traceID: sample.traceID?.hexString,
                            spanID: sample.spanID?.hexString,
                            timestamp: timestamp(sample.time),
                            severity: sample.severity
                        )
                    }
                )
            }
            return ErrorDetailsSnapshot(timestamp: timestamp(now), totalGroups: matching.count, groups: Array(groups))
        }
    }
}

/// Sums errors by type and severity while building a snapshot.
private struct ServiceAccumulator {
    var requests = 0.0
    var errors = 0.0
    var byType: [String: Double] = [:]
    var bySeverity: [String: Double] = [:]

    mutating func add(_ key: AggregatorState.ErrorKey, _ count: Double) {
        guard count > 0 else { return }
        errors += count
        byType[key.type.rawValue, default: 0] += count
        bySeverity[key.severity.rawValue, default: 0] += count
    }

    mutating func merge(_ other: ServiceAccumulator) {
        requests += other.requests
        errors += other.errors
        byType.merge(other.byType, uniquingKeysWith: +)
        bySeverity.merge(other.bySeverity, uniquingKeysWith: +)
    }

    func windowStats(_ window: ErrorWindow) -> ErrorStatsSnapshot.WindowStats {
        let seconds = Double(window.length.components.seconds)
        return ErrorStatsSnapshot.WindowStats(
            errors: errors,
            requests: requests,
            errorRate: requests > 0 ? min(1, errors / requests) : 0,
            errorsPerSecond: errors / seconds,
            byType: byType,
            bySeverity: bySeverity
        )
    }
}
