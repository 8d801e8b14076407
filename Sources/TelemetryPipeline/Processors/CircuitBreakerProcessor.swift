import CircuitBreaker
import TelemetryCore

/// Rebuilds breaker states from `circuit_breaker.state_change` and `circuit_breaker.rejected`
/// span events into `circuit_breaker_state{service,name}`,
/// `circuit_breaker_state_changes_total{service,name,from_state,to_state}` and
/// `circuit_breaker_requests_total{service,name,state,result="rejected"}`.
package struct CircuitBreakerProcessor: SpanProcessorStage {
    static let stateChange = "circuit_breaker.state_change"
    static let rejected = "circuit_breaker.rejected"

    let board: BreakerBoard
    let stateGauge: MetricFamily
    let changes: MetricFamily
    let requests: MetricFamily

    package init(board: BreakerBoard, registry: MetricRegistry) {
        self.board = board
        stateGauge = registry.gauge(
            "circuit_breaker_state", help: "Circuit breaker state (0=closed, 1=half-open, 2=open).", labels: ["service", "name"])
        changes = registry.counter(
            "circuit_breaker_state_changes_total", help: "Circuit breaker state changes seen in span events.",
            labels: ["service", "name", "from_state", "to_state"])
        requests = registry.counter(
            "circuit_breaker_requests_total", help: "Requests through circuit breakers seen in span events.",
            labels: ["service", "name", "state", "result"])
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        var touched = false
        // Only spans with events are copied out of the buffer; most have none.
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices where !spans[index].events.isEmpty {
                let span = spans[index]
                for event in span.events where event.name.hasPrefix("circuit_breaker.") {
                    let service = span.resource.serviceName
                    let name = Self.string(event.attributes, ["circuit_breaker.name", "name", "breaker"]) ?? span.name
                    if event.name == Self.stateChange {
                        guard let to = Self.string(event.attributes, ["circuit_breaker.to_state", "circuit_breaker.state", "to_state", "to", "state"])
                            .flatMap(BreakerBoard.State.init(text:))
                        else { continue }
                        let from = Self.string(event.attributes, ["circuit_breaker.from_state", "circuit_breaker.previous_state", "from_state", "from"])
                            .flatMap(BreakerBoard.State.init(text:))
                        board.apply(service: service, name: name, to: to, at: event.timeNanos)
                        changes.add(span.adjustedCount, [service, name, Self.label(from), Self.label(to)])
                        touched = true
                    } else if event.name == Self.rejected {
                        board.reject(service: service, name: name, weight: span.adjustedCount, at: event.timeNanos)
                        requests.add(span.adjustedCount, [service, name, "open", "rejected"])
                        touched = true
                    }
                }
            }
        }
        if touched { refreshGauge() }
        return spans
    }

    /// Rewrites the gauge from the board (also after a reset).
    package func refreshGauge() {
        Self.refresh(stateGauge, from: board)
    }

    static func refresh(_ gauge: MetricFamily, from board: BreakerBoard) {
        let breakers = board.snapshot()
        gauge.update { updater in
            for breaker in breakers { updater.set(breaker.state.gaugeValue, [breaker.service, breaker.name]) }
        }
    }

    static func label(_ state: BreakerBoard.State?) -> String {
        state?.label ?? "unknown"
    }

    static func string(_ attributes: Attributes, _ keys: [String]) -> String? {
        for key in keys { if let value = attributes[key]?.stringValue { return value } }
        return nil
    }
}
