import CoreMetrics
import Foundation
import Metrics
import Synchronization
import TelemetryCore

/// Counts errors by service, type and severity over sliding windows, groups them by
/// fingerprint and raises alerts; safe to share between tasks and threads.
///
/// Memory is bounded: services beyond ``Configuration/maximumServices`` are counted as
/// `other`, the least recently seen group is dropped beyond ``Configuration/maximumGroups``,
/// and every window has a fixed number of buckets.
///
/// Feed it every request (``recordRequest(service:weight:)``) and every error
/// (``record(service:type:severity:message:traceID:spanID:weight:)``), or whole spans
/// (``record(span:weight:)``); `error_rate{service,type}` is errors ÷ requests.
public final class ErrorAggregator: Sendable {
    /// The aggregator's configuration.
    public let configuration: Configuration
    /// Classifies errors and spans and decides severities.
    public let classifier: ErrorClassifier

    let state: Mutex<AggregatorState>
    /// Monotonic nanoseconds since the aggregator was created.
    let now: @Sendable () -> Int64
    /// Unix-epoch nanoseconds at `now() == 0`, for timestamps.
    let startWallNanos: Int64
    let metricsFactory: any MetricsFactory

    /// Creates an aggregator.
    ///
    /// - Parameters:
    ///   - configuration: Limits, rate window and alert rules.
    ///   - classifier: Type and severity rules.
    ///   - clock: A monotonic clock driving the windows; inject a test clock in tests.
    ///   - startDate: The wall-clock time at creation, for the timestamps in snapshots.
    ///   - metricsFactory: Where `error_rate` goes; defaults to the bootstrapped `MetricsSystem`.
    public init<C: Clock>(
        configuration: Configuration = .default,
        classifier: ErrorClassifier = .default,
        clock: C,
        startDate: Date = Date(),
        metricsFactory: (any MetricsFactory)? = nil
    ) where C.Duration == Duration {
        self.metricsFactory = metricsFactory ?? MetricsSystem.factory
        self.configuration = configuration
        self.classifier = classifier
        let origin = clock.now
        self.now = { origin.duration(to: clock.now).nanos }
        self.startWallNanos = Int64(startDate.timeIntervalSince1970 * 1e9)
        self.state = Mutex(AggregatorState())
    }

    /// Creates an aggregator on the continuous (monotonic) system clock.
    public convenience init(configuration: Configuration = .default, classifier: ErrorClassifier = .default) {
        self.init(configuration: configuration, classifier: classifier, clock: ContinuousClock())
    }

    // MARK: Recording

    /// Counts a request (failed or not) to `service`; the denominator of error rates.
    ///
    /// - Parameter weight: How many requests this one stands for (1/p for a span sampled
    ///   with probability p).
    public func recordRequest(service: String, weight: Double = 1) {
        let now = now()
        state.withLock { state in
            let key = state.serviceKey(service, limit: configuration.maximumServices)
            state.services[key]?.requests.add(weight, now: now)
        }
    }

    /// Records one error and returns the severity it was recorded with.
    ///
    /// The severity is `severity` if given, else the classifier's default for `type`; it
    /// becomes `critical` when the error rate of `type` in `service` reaches the
    /// classifier's escalation threshold. The request itself is counted separately, by
    /// ``recordRequest(service:weight:)``.
    @discardableResult
    public func record(
        service: String,
        type: ErrorType,
        severity: Severity? = nil,
        message: String,
        traceID: TraceID? = nil,
        spanID: SpanID? = nil,
        weight: Double = 1
    ) -> Severity {
        let now = now()
        let (recorded, gauge, rate) = state.withLock { state in
            let key = state.serviceKey(service, limit: configuration.maximumServices)
            let window = configuration.rateWindow
            let requests = state.services[key]?.requests.sum(window, now: now) ?? 0
            let errors = (state.services[key]?.errors(of: type, in: window, now: now) ?? 0) + weight
            let rate: Double? = requests > 0 ? errors / requests : nil
            var recorded = severity ?? classifier.severity(of: type)
            if classifier.severity(of: type, errorRate: rate, requests: requests) == .critical { recorded = .critical }

            state.services[key]?.errors[AggregatorState.ErrorKey(type: type, severity: recorded), default: WindowedCount()]
                .add(weight, now: now)
            state.addToGroup(
                ErrorFingerprint(service: key, type: type, message: message),
                sample: AggregatorState.Sample(
                    message: String(message.prefix(ErrorFingerprint.maximumMessageLength)),
                    traceID: traceID,
                    spanID: spanID,
                    time: now,
                    severity: recorded
                ),
                weight: weight,
                configuration: configuration
            )
            let gauge = configuration.exportsMetrics ? gaugeLocked(&state, service: key, type: type) : nil
            return (recorded, gauge, min(1, rate ?? 0))
        }
        gauge?.record(rate)
        return recorded
    }

    /// Classifies a Swift error and records it; returns its classification.
    @discardableResult
    public func record(
        _ error: any Error,
        service: String,
        traceID: TraceID? = nil,
        spanID: SpanID? = nil,
        weight: Double = 1
    ) -> ErrorClassification {
        let classification = classifier.classify(error)
        let severity = record(
            service: service,
            type: classification.type,
            severity: (error as? any ClassifiableError)?.severity,
            message: String(describing: error),
            traceID: traceID,
            spanID: spanID,
            weight: weight
        )
        return ErrorClassification(type: classification.type, severity: severity)
    }

    /// Counts a finished span as a request of its resource's service and, if it failed,
    /// records its error; returns the classification of a failed span, else `nil`.
    @discardableResult
    public func record(span: TelemetrySpanData, weight: Double = 1) -> ErrorClassification? {
        let service = span.resource.serviceName
        recordRequest(service: service, weight: weight)
        guard let type = ErrorClassifier.classify(span: span) else { return nil }
        let severity = record(
            service: service,
            type: type,
            message: ErrorClassifier.message(of: span),
            traceID: span.traceID,
            spanID: span.spanID,
            weight: weight
        )
        return ErrorClassification(type: type, severity: severity)
    }

    // MARK: Rates

    /// Errors ÷ requests of `service` (and `type`, or every type) over `window`; `nil`
    /// without requests in the window.
    public func errorRate(service: String, type: ErrorType? = nil, window: ErrorWindow? = nil) -> Double? {
        let now = now()
        return state.withLock { state in
            state.errorRate(service: service, type: type, window: window ?? configuration.rateWindow, now: now).rate
        }
    }

    func gaugeLocked(_ state: inout AggregatorState, service: String, type: ErrorType) -> Gauge {
        let key = AggregatorState.GaugeKey(service: service, type: type)
        if let gauge = state.gauges[key] { return gauge }
        let gauge = Gauge(label: "error_rate", dimensions: [("service", service), ("type", type.rawValue)], factory: metricsFactory)
        state.gauges[key] = gauge
        return gauge
    }

    func timestamp(_ monotonicNanos: Int64) -> String {
        Timestamp.iso8601(nanosecondsSinceEpoch: startWallNanos &+ monotonicNanos)
    }
}
