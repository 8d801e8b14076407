import Metrics
import Synchronization

extension ErrorAggregator {
    /// Refreshes every `error_rate` gauge and evaluates the alert rules; returns the
    /// alerts that fired or resolved in this evaluation (also passed to `onAlert`).
    ///
    /// Rates decay as windows slide even when nothing is recorded, so call this
    /// periodically (``runEvaluation(every:)`` does) or rely on ``stats()`` calling it.
    @discardableResult
    public func evaluate() -> [Alert] {
        refreshMetrics()
        let now = now()
        let changes = state.withLock { state in evaluateRulesLocked(&state, now: now) }
        if let onAlert = configuration.onAlert {
            for alert in changes { onAlert(alert) }
        }
        return changes
    }

    /// Alerts currently firing, oldest first.
    public func activeAlerts() -> [Alert] {
        let now = now()
        return state.withLock { activeAlertsLocked($0, now: now) }
    }

    /// Recently resolved alerts, oldest first.
    public func resolvedAlerts() -> [Alert] {
        state.withLock { $0.resolvedAlerts }
    }

    /// Calls ``evaluate()`` every `interval` until the task is cancelled.
    public func runEvaluation(every interval: Duration) async {
        while !Task.isCancelled {
            evaluate()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    private func evaluateRulesLocked(_ state: inout AggregatorState, now: Int64) -> [Alert] {
        var changes: [Alert] = []
        for rule in configuration.alertRules {
            let services = rule.service.map { [$0] } ?? Array(state.services.keys)
            for service in services {
                let key = AggregatorState.AlertKey(rule: rule.name, service: service)
                let (rate, requests) = state.errorRate(service: service, type: rule.type, window: rule.window, now: now)
                let holds = requests >= rule.minimumRequests && (rate ?? 0) > rule.errorRateAbove
                if holds {
                    var progress = state.alerts[key] ?? AggregatorState.AlertProgress(since: now)
                    progress.rate = rate ?? 0
                    if !progress.firing, now - progress.since >= rule.duration.nanos {
                        progress.firing = true
                        changes.append(alert(rule: rule, service: service, progress: progress, now: now))
                    }
                    state.alerts[key] = progress
                } else if let progress = state.alerts.removeValue(forKey: key), progress.firing {
                    var resolved = alert(rule: rule, service: service, progress: progress, now: now)
                    resolved.status = .resolved
                    resolved.resolvedAt = timestamp(now)
                    changes.append(resolved)
                    state.resolvedAlerts.append(resolved)
                    if state.resolvedAlerts.count > configuration.resolvedAlertHistory {
                        state.resolvedAlerts.removeFirst(state.resolvedAlerts.count - configuration.resolvedAlertHistory)
                    }
                }
            }
        }
        return changes
    }

    func activeAlertsLocked(_ state: AggregatorState, now: Int64) -> [Alert] {
        var alerts: [(Int64, Alert)] = []
        for rule in configuration.alertRules {
            for (key, progress) in state.alerts where key.rule == rule.name && progress.firing {
                alerts.append((progress.since, alert(rule: rule, service: key.service, progress: progress, now: now)))
            }
        }
        return alerts.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.service < $1.1.service }.map(\.1)
    }

    private func alert(rule: AlertRule, service: String, progress: AggregatorState.AlertProgress, now: Int64) -> Alert {
        let scope = rule.type.map { " (\($0.rawValue))" } ?? ""
        let message = "Error rate \(percent(progress.rate)) above \(percent(rule.errorRateAbove)) over \(rule.window.rawValue)\(scope)"
        return Alert(
            level: rule.level,
            service: service,
            message: message,
            timestamp: timestamp(progress.since),
            duration: Alert.format(seconds: (now - progress.since) / 1_000_000_000),
            rule: rule.name,
            status: .firing
        )
    }

    private func percent(_ rate: Double) -> String {
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
