import ErrorAggregation
import TelemetryCore

/// Classifies every error span (type and severity, the seed's names) into the ErrorAggregation
/// module's aggregator, which serves `/monitoring/errors/*`, and keeps
/// `errors_total{service,type,severity}` and `error_rate{service,type}` current.
///
/// `error_rate` is the aggregator's sliding-window rate (errors of that type per span of that
/// service over its rate window, sampling-adjusted), recomputed whenever the registry is
/// rendered, so it falls back after an incident instead of staying at its last value.
package struct ErrorsProcessor: SpanProcessorStage {
    let classifier: any SpanErrorClassifying
    let aggregator: ErrorAggregator
    let errorsTotal: MetricFamily
    let errorRate: MetricFamily

    package init(classifier: any SpanErrorClassifying, aggregator: ErrorAggregator, registry: MetricRegistry) {
        self.classifier = classifier
        self.aggregator = aggregator
        let errorsTotal = registry.counter(
            "errors_total", help: "Error spans by service, type and severity, sampling-adjusted.",
            labels: ["service", "type", "severity"])
        let errorRate = registry.gauge(
            "error_rate", help: "Share of a service's spans over the rate window that failed with this error type.",
            labels: ["service", "type"])
        self.errorsTotal = errorsTotal
        self.errorRate = errorRate
        registry.onRender { Self.refresh(errorRate, from: aggregator) }
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        var services = ServiceIndex()
        var requests: [Double] = []
        var errors: [(index: Int, service: Int, classification: SpanErrorClassification, weight: Double)] = []
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                let weight = spans.weight(at: index)
                let service = services.index(of: spans[index].resource)
                if service == requests.count { requests.append(0) }
                requests[service] += weight
                if let classification = classifier.classify(spans[index]) { errors.append((index, service, classification, weight)) }
            }
        }
        // Requests first: an error's severity escalation reads the rate including its own request.
        for (service, weight) in zip(services.names, requests) { aggregator.recordRequest(service: service, weight: weight) }
        guard !errors.isEmpty else { return spans }
        var recorded: [(service: String, type: String, severity: String, weight: Double)] = []
        recorded.reserveCapacity(errors.count)
        for (index, serviceIndex, classification, weight) in errors {
            let span = spans[index]
            let service = services.names[serviceIndex]
            guard let type = ErrorType(rawValue: classification.type) else {
                recorded.append((service, classification.type, classification.severity, weight))
                continue
            }
            let severity = aggregator.record(
                service: service,
                type: type,
                severity: Severity(rawValue: classification.severity),
                message: ErrorClassifier.message(of: span),
                traceID: span.traceID,
                spanID: span.spanID,
                weight: weight
            )
            recorded.append((service, type.rawValue, severity.rawValue, weight))
        }
        errorsTotal.update { updater in
            for error in recorded { updater.add(error.weight, [error.service, error.type, error.severity]) }
        }
        return spans
    }

    /// Rewrites the gauge from the aggregator's windows.
    static func refresh(_ gauge: MetricFamily, from aggregator: ErrorAggregator) {
        let rates = aggregator.errorRates()
        gauge.update { updater in
            for (service, types) in rates {
                for (type, rate) in types { updater.set(rate, [service, type.rawValue]) }
            }
        }
    }
}
