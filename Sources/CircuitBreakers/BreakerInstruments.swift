import CoreMetrics
import Metrics
import Synchronization

/// One breaker's metric handles, created once so recording a result is an array lookup
/// and an increment.
final class BreakerInstruments: Sendable {
    static let stateLabel = "circuit_breaker_state"
    static let requestsLabel = "circuit_breaker_requests_total"
    static let stateChangesLabel = "circuit_breaker_state_changes_total"

    /// The `result` label values of `circuit_breaker_requests_total`.
    enum Result: Int, CaseIterable {
        case success, failure, rejected, excluded

        var label: String {
            switch self {
            case .success: "success"
            case .failure: "failure"
            case .rejected: "rejected"
            case .excluded: "excluded"
            }
        }
    }

    private let service: String
    private let name: String
    private let stateGauge: Gauge
    /// Indexed by `state index * 4 + result`.
    private let requests: [Counter]
    private let stateChanges: Mutex<[Int: Counter]>
    private let factory: any MetricsFactory

    init(service: String, name: String, factory: any MetricsFactory) {
        self.service = service
        self.name = name
        self.factory = factory
        stateGauge = Gauge(label: Self.stateLabel, dimensions: [("service", service), ("name", name)], factory: factory)
        var requests: [Counter] = []
        for state in CircuitBreaker.State.allCases {
            for result in Result.allCases {
                requests.append(
                    Counter(
                        label: Self.requestsLabel,
                        dimensions: [("service", service), ("name", name), ("state", state.label), ("result", result.label)],
                        factory: factory
                    )
                )
            }
        }
        self.requests = requests
        stateChanges = Mutex([:])
    }

    func recordState(_ state: CircuitBreaker.State) {
        stateGauge.record(state.metricValue)
    }

    func recordResult(_ outcome: CircuitBreaker.Outcome, state: CircuitBreaker.State) {
        let result: Result
        switch outcome {
        case .success: result = .success
        case .failure: result = .failure
        case .excluded: result = .excluded
        }
        requests[state.metricValue &* 4 &+ result.rawValue].increment()
    }

    func recordRejection(state: CircuitBreaker.State) {
        requests[state.metricValue &* 4 &+ Result.rejected.rawValue].increment()
    }

    func recordStateChange(from: CircuitBreaker.State, to: CircuitBreaker.State) {
        let key = from.metricValue * 3 + to.metricValue
        let counter = stateChanges.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: Self.stateChangesLabel,
                dimensions: [("service", service), ("name", name), ("from_state", from.label), ("to_state", to.label)],
                factory: factory
            )
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}
