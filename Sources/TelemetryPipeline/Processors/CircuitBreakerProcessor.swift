import CircuitBreakers
import TelemetryCore

/// Rebuilds breaker states from what SDKs report, into `circuit_breaker_state{service,name}`,
/// `circuit_breaker_state_changes_total{service,name,from_state,to_state}` and
/// `circuit_breaker_requests_total{service,name,state,result="rejected"}`:
///
/// - `circuit_breaker.state_change` spans, one per transition, and `circuit_breaker.report`
///   spans, one per breaker and interval: roots that this SDK records at any sampling ratio,
///   so breaker state does not depend on which requests were sampled;
/// - `circuit_breaker.state_change` events on request spans (other SDKs send only these),
///   counted once with their span twin;
/// - `circuit_breaker.rejected` events, each weighted 1/p like its span.
///
/// A transition counts once whatever its sampling ratio: it happened once. Breakers not
/// heard from within the board's `stale_after` leave `circuit_breaker_state`.
package struct CircuitBreakerProcessor: SpanProcessorStage {
    let board: BreakerBoard
    let stateGauge: MetricFamily
    let changes: MetricFamily
    let requests: MetricFamily
    let overflow: MetricFamily

    package init(board: BreakerBoard, registry: MetricRegistry) {
        self.board = board
        stateGauge = registry.gauge(
            "circuit_breaker_state", help: "Circuit breaker state (0=closed, 1=half-open, 2=open) of breakers heard from recently.",
            labels: ["service", "name"])
        changes = registry.counter(
            "circuit_breaker_state_changes_total", help: "Circuit breaker state changes reported by the services.",
            labels: ["service", "name", "from_state", "to_state"])
        requests = registry.counter(
            "circuit_breaker_requests_total", help: "Requests through circuit breakers seen in span events, sampling-adjusted.",
            labels: ["service", "name", "state", "result"])
        overflow = registry.counter(
            "pipeline_breakers_overflow_total", help: "Breaker reports dropped because the board holds max_breakers breakers.",
            labels: [])
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        var touched = false
        // Only breaker spans and spans with events are copied out of the buffer; most are neither.
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                if spans[index].isBreakerReport {
                    touched = apply(report: spans[index], now: now) || touched
                }
                guard !spans[index].events.isEmpty else { continue }
                let span = spans[index]
                for event in span.events where event.name.hasPrefix("circuit_breaker.") {
                    let service = span.resource.serviceName
                    let name = Self.string(event.attributes, ["circuit_breaker.name", "name", "breaker"]) ?? span.name
                    if event.name == BreakerReports.stateChange {
                        touched = applyChange(event.attributes, service: service, name: name, at: event.timeNanos, now: now) || touched
                    } else if event.name == BreakerReports.rejected {
                        let state = Self.rejectionState(event.attributes)
                        board.reject(service: service, name: name, in: state, weight: span.adjustedCount, at: event.timeNanos, now: now)
                        requests.add(span.adjustedCount, [service, name, state.label, "rejected"])
                        touched = true
                    }
                }
            }
        }
        // Most batches carry no breaker news and skip the board's lock entirely.
        guard touched else { return spans }
        // Set from the board's own total: lanes process batches concurrently, so a difference
        // taken around one batch would include another's.
        let overflowed = board.overflowed
        if overflowed > 0 { overflow.set(Double(overflowed), []) }
        refreshGauge(now: now)
        return spans
    }

    package func tick(now: UInt64) -> [TelemetrySpanData] {
        board.expire(now: now)
        refreshGauge(now: now)
        return []
    }

    /// A breaker's own span: a state change, or a periodic state report.
    private func apply(report span: TelemetrySpanData, now: UInt64) -> Bool {
        let service = span.resource.serviceName
        guard let name = Self.string(span.attributes, ["circuit_breaker.name"]) else { return false }
        if span.name == BreakerReports.stateChange {
            return applyChange(span.attributes, service: service, name: name, at: span.startTimeNanos, now: now)
        }
        guard let state = Self.string(span.attributes, ["circuit_breaker.state"]).flatMap(BreakerBoard.State.init(text:)) else {
            return false
        }
        board.report(service: service, name: name, state: state, at: span.startTimeNanos, now: now)
        return true
    }

    private func applyChange(_ attributes: TelemetryAttributes, service: String, name: String, at time: UInt64, now: UInt64) -> Bool {
        guard
            let to = Self.string(attributes, ["circuit_breaker.to_state", "circuit_breaker.state", "to_state", "to", "state"])
                .flatMap(BreakerBoard.State.init(text:))
        else { return false }
        let from = Self.string(attributes, ["circuit_breaker.from_state", "circuit_breaker.previous_state", "from_state", "from"])
            .flatMap(BreakerBoard.State.init(text:))
        if board.apply(service: service, name: name, to: to, at: time, now: now) {
            changes.add(1, [service, name, Self.label(from), Self.label(to)])
        }
        return true
    }

    /// Rewrites the gauge from the board's current breakers (also after a reset).
    package func refreshGauge(now: UInt64) {
        Self.refresh(stateGauge, from: board, now: now)
    }

    static func refresh(_ gauge: MetricFamily, from board: BreakerBoard, now: UInt64) {
        let breakers = board.current(now: now)
        gauge.update { updater in
            // Rebuilt whole, so stale and forgotten breakers leave the gauge.
            updater.removeAll()
            for breaker in breakers { updater.set(breaker.state.gaugeValue, [breaker.service, breaker.name]) }
        }
    }

    /// The state a rejection happened in: `open`, or `half_open` when the half-open budget was spent.
    /// Without the attribute (other SDKs), `open`: the state that rejects every request.
    static func rejectionState(_ attributes: TelemetryAttributes) -> BreakerBoard.State {
        string(attributes, ["circuit_breaker.state"]).flatMap(BreakerBoard.State.init(text:)) ?? .open
    }

    static func label(_ state: BreakerBoard.State?) -> String {
        state?.label ?? "unknown"
    }

    static func string(_ attributes: TelemetryAttributes, _ keys: [String]) -> String? {
        for key in keys { if let value = attributes[key]?.stringValue { return value } }
        return nil
    }
}
