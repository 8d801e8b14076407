import CircuitBreakers
import ErrorAggregation
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The seed's alerts for one service: high error rate, high response time, open circuit breaker.
///
/// The error aggregator owns error rates, so `high_error_rate` is its ``AlertRule`` (see
/// ``Configuration/errorAggregator``); this type evaluates the two conditions the aggregator
/// cannot see (latencies and breakers, which ErrorAggregation, a leaf module, does not know)
/// and lists all three together for the dashboard.
///
/// ```swift
/// let alerts = ServiceAlerts(configuration: try .init(environment: env), errors: errors,
///     responseTimes: { ["checkout": times.mean].compactMapValues { $0 } },
///     breakers: { registry.statuses() })
/// ```
public final class ServiceAlerts: Sendable {
    /// The rule name of the error-rate alert.
    public static let highErrorRate = "high_error_rate"
    /// The rule name of the response-time alert.
    public static let highResponseTime = "high_response_time"
    /// The rule name of the open-breaker alert.
    public static let circuitBreakerOpen = "circuit_breaker_open"

    private struct Key: Hashable {
        var rule: String
        var service: String
    }

    private struct Progress {
        var since: Duration
        var message: String
        var level: Alert.Level
        var firing = false
    }

    /// The thresholds in use.
    public let configuration: Configuration
    /// The aggregator whose `high_error_rate` alerts are listed with these.
    public let errors: ErrorAggregator
    private let responseTimes: @Sendable () -> [String: Duration]
    private let breakers: @Sendable () -> [CircuitBreakerStatus]
    private let elapsed: @Sendable () -> Duration
    private let origin: Date
    private let conditions = Mutex<[Key: Progress]>([:])

    /// Creates the alerts of one service.
    ///
    /// - Parameters:
    ///   - responseTimes: the recent mean response time per service watched (the service
    ///     itself; a gateway adds its downstreams).
    ///   - breakers: the breakers watched; an alert names the service a breaker guards.
    ///   - clock: measures how long conditions hold; a test clock in tests.
    public init<C: Clock<Duration>>(
        configuration: Configuration,
        errors: ErrorAggregator,
        responseTimes: @escaping @Sendable () -> [String: Duration],
        breakers: @escaping @Sendable () -> [CircuitBreakerStatus],
        clock: C = ContinuousClock()
    ) {
        self.configuration = configuration
        self.errors = errors
        self.responseTimes = responseTimes
        self.breakers = breakers
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.origin = Date()
    }

    /// Evaluates every condition now, including the aggregator's error-rate rule.
    public func evaluate() {
        errors.evaluate()
        guard configuration.enabled else { return }
        let now = elapsed()
        var holding: [Key: (message: String, level: Alert.Level)] = [:]
        let threshold = configuration.responseTimeThreshold
        for (service, mean) in responseTimes() where mean > threshold {
            holding[Key(rule: Self.highResponseTime, service: service)] =
                ("High response time detected: mean \(Self.milliseconds(mean)) above \(Self.milliseconds(threshold))", .warning)
        }
        for breaker in breakers() where breaker.state == .open {
            let service = breaker.guardedService ?? breaker.name
            holding[Key(rule: Self.circuitBreakerOpen, service: service)] =
                ("Circuit breaker \(breaker.name) is open: calls to \(service) fail fast", .critical)
        }
        conditions.withLock { conditions in
            conditions = conditions.filter { holding[$0.key] != nil }
            for (key, found) in holding {
                var progress = conditions[key] ?? Progress(since: now, message: found.message, level: found.level)
                progress.message = found.message
                if !progress.firing, now - progress.since >= holdDuration(key.rule) { progress.firing = true }
                conditions[key] = progress
            }
        }
    }

    /// Alerts firing now, the aggregator's included, oldest first.
    public func activeAlerts() -> [Alert] {
        let now = elapsed()
        let own = conditions.withLock { conditions in
            conditions.filter(\.value.firing).map { key, progress in
                Alert(
                    level: progress.level,
                    service: key.service,
                    message: progress.message,
                    timestamp: (origin + TimeInterval(Double(progress.since.components.seconds))).formatted(.iso8601),
                    duration: Alert.format(seconds: (now - progress.since).components.seconds),
                    rule: key.rule,
                    status: .firing
                )
            }
        }
        return (errors.activeAlerts() + own).sorted { ($0.timestamp, $0.service, $0.rule) < ($1.timestamp, $1.service, $1.rule) }
    }

    /// Calls ``evaluate()`` every `interval` until the task is cancelled.
    public func runEvaluation(every interval: Duration) async {
        while !Task.isCancelled {
            evaluate()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    private func holdDuration(_ rule: String) -> Duration {
        rule == Self.circuitBreakerOpen ? configuration.breakerOpenFor : configuration.responseTimeFor
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
