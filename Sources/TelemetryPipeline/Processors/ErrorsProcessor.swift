import ErrorAggregation
import TelemetryCore

/// Classifies every failed request (type and severity, the seed's names) into the
/// ErrorAggregation module's aggregator, which serves `/monitoring/errors/*`, and keeps
/// `errors_total{service,type,severity}`, `service_requests_total{service}` and
/// `error_rate{service,type}` current.
///
/// Requests are the spans `RequestRoles` picks: each request counts once for its service,
/// weighted 1/p, and is an error when its entry span is (a failed span, or a 4xx answer).
/// Outgoing calls and internal spans are neither requests nor errors here, so a failure
/// that crosses three services counts once in each, and a service's outgoing calls do not
/// dilute its error rate. (`spanmetrics` keeps per-span counts.)
///
/// `error_rate` is the aggregator's sliding-window rate (errors of that type per request of
/// that service over its rate window), recomputed whenever the registry is rendered, so it
/// falls back after an incident instead of staying at its last value.
package struct ErrorsProcessor: SpanProcessorStage {
    let classifier: any SpanErrorClassifying
    let aggregator: ErrorAggregator
    let roles: RequestRoles
    let edge: EdgeRequestTally
    let errorsTotal: MetricFamily
    let requestsTotal: MetricFamily
    let errorRate: MetricFamily

    package init(
        classifier: any SpanErrorClassifying, aggregator: ErrorAggregator, registry: MetricRegistry,
        roles: RequestRoles = RequestRoles(), edge: EdgeRequestTally = EdgeRequestTally()
    ) {
        self.classifier = classifier
        self.aggregator = aggregator
        self.roles = roles
        self.edge = edge
        errorsTotal = registry.counter(
            "errors_total", help: "Failed requests by service, error type and severity, sampling-adjusted.",
            labels: ["service", "type", "severity"])
        requestsTotal = registry.counter(
            "service_requests_total", help: "Requests served (entry spans, or roots of services without them), sampling-adjusted.",
            labels: ["service"])
        let errorRate = registry.gauge(
            "error_rate", help: "Share of a service's requests over the rate window that failed with this error type.",
            labels: ["service", "type"])
        self.errorRate = errorRate
        registry.onRender { Self.refresh(errorRate, from: aggregator) }
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        var names: [String] = []
        var requests: [Double] = []
        var edgeRequests = 0.0
        var failedEdgeRequests = 0.0
        var errors: [(index: Int, service: Int, classification: SpanErrorClassification, weight: Double)] = []
        spans.withUnsafeBufferPointer { spans in
            let batch = roles.batch(spans, now: now)
            names = batch.serviceNames
            requests = [Double](repeating: 0, count: names.count)
            for index in spans.indices where batch.roles[index].isRequest {
                let weight = spans.weight(at: index)
                let service = batch.serviceOfSpan[index]
                requests[service] += weight
                let classification = classifier.classify(spans[index])
                if let classification { errors.append((index, service, classification, weight)) }
                if batch.roles[index] == .edgeRequest {
                    edgeRequests += weight
                    if classification != nil { failedEdgeRequests += weight }
                }
            }
        }
        edge.add(requests: edgeRequests, failed: failedEdgeRequests)
        let served = zip(names, requests).filter { $0.1 > 0 }
        // Requests first: an error's severity escalation reads the rate including its own request.
        for (service, weight) in served { aggregator.recordRequest(service: service, weight: weight) }
        if !served.isEmpty {
            requestsTotal.update { updater in
                for (service, weight) in served { updater.add(weight, [service]) }
            }
        }
        guard !errors.isEmpty else { return spans }
        var recorded: [(service: String, type: String, severity: String, weight: Double)] = []
        recorded.reserveCapacity(errors.count)
        for (index, serviceIndex, classification, weight) in errors {
            let span = spans[index]
            let service = names[serviceIndex]
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
