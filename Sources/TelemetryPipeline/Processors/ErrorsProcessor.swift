import TelemetryCore

/// Classifies every error span (type and severity, the seed's names) and keeps
/// `errors_total{service,type,severity}` and `error_rate{service,type}` (errors of that
/// type per span of that service, sampling-adjusted) current.
package struct ErrorsProcessor: SpanProcessorStage {
    let classifier: any SpanErrorClassifying
    let ledger: ErrorLedger
    let errorsTotal: MetricFamily
    let errorRate: MetricFamily

    package init(classifier: any SpanErrorClassifying, ledger: ErrorLedger, registry: MetricRegistry) {
        self.classifier = classifier
        self.ledger = ledger
        errorsTotal = registry.counter(
            "errors_total", help: "Error spans by service, type and severity, sampling-adjusted.",
            labels: ["service", "type", "severity"])
        errorRate = registry.gauge(
            "error_rate", help: "Share of a service's spans that failed with this error type.", labels: ["service", "type"])
    }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        var requests: [String: Double] = [:]
        var errors: [(SpanData, SpanErrorClassification, Double)] = []
        for span in spans {
            let weight = span.adjustedCount
            requests[span.resource.serviceName, default: 0] += weight
            if let classification = classifier.classify(span) { errors.append((span, classification, weight)) }
        }
        for (service, weight) in requests { ledger.recordRequests(service: service, weight: weight) }
        if !errors.isEmpty {
            errorsTotal.update { updater in
                for (span, classification, weight) in errors {
                    updater.add(weight, [span.resource.serviceName, classification.type, classification.severity])
                }
            }
            for (span, classification, weight) in errors { ledger.recordError(span, classification: classification, weight: weight) }
        }
        let tallies = ledger.tallies()
        errorRate.update { updater in
            for service in requests.keys {
                guard let tally = tallies[service], tally.requests > 0 else { continue }
                for (type, count) in tally.byType { updater.set(count / tally.requests, [service, type]) }
            }
        }
        return spans
    }
}
