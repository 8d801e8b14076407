import TelemetryCore

/// Derives RED metrics from spans, under the OpenTelemetry Collector spanmetrics
/// connector's Prometheus names (so Jaeger's Monitor tab and existing dashboards read them)
/// and the seed's `http_requests_total` / `http_request_duration_seconds` from SERVER spans.
///
/// Each span counts `SpanData.adjustedCount` times (1/p for a span sampled at p), so a
/// sample estimates the full traffic.
package struct SpanMetricsProcessor: SpanProcessorStage {
    /// The `spanmetrics` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// Duration buckets in seconds (`histogram.explicit.buckets`, default the connector's
        /// 2ms … 15s).
        package var buckets: [Double] = [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]
        /// Buckets of `http_request_duration_seconds` (`http_buckets`, default Prometheus' defaults).
        package var httpBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        package static let `default` = Configuration()
    }

    let calls: MetricFamily
    let duration: MetricFamily
    let bounds: [Double]
    let httpBounds: [Double]
    let httpRequests: MetricFamily
    let httpDuration: MetricFamily

    package init(configuration: Configuration, registry: MetricRegistry) {
        bounds = configuration.buckets
        httpBounds = configuration.httpBuckets
        let labels = ["service_name", "span_name", "span_kind", "status_code"]
        calls = registry.counter(
            "traces_span_metrics_calls_total", help: "Spans by service, name, kind and status, sampling-adjusted.", labels: labels)
        duration = registry.histogram(
            "traces_span_metrics_duration_seconds", help: "Span durations in seconds, sampling-adjusted.",
            buckets: configuration.buckets, labels: labels)
        let httpLabels = ["service", "method", "path", "status"]
        httpRequests = registry.counter(
            "http_requests_total", help: "HTTP requests served, from SERVER spans, sampling-adjusted.", labels: httpLabels)
        httpDuration = registry.histogram(
            "http_request_duration_seconds", help: "HTTP request durations in seconds, from SERVER spans.",
            buckets: configuration.httpBuckets, labels: httpLabels)
    }

    /// One series' share of a batch: summed first, so a batch of thousands of spans touches
    /// each series once instead of building label arrays per span.
    struct Tally {
        var count = 0.0
        var sum = 0.0
        var buckets: [Double]
    }

    struct CallKey: Hashable {
        var service: String
        var name: String
        var kind: SpanKind
        var isError: Bool
        var isOK: Bool
    }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        var callTallies: [CallKey: Tally] = [:]
        var httpTallies: [[String]: Tally] = [:]
        for span in spans {
            let weight = span.adjustedCount
            let seconds = Double(span.durationNanos) / 1e9
            let service = span.resource.serviceName
            let key = CallKey(service: service, name: span.name, kind: span.kind, isError: span.status.isError, isOK: span.status == .ok)
            Self.add(to: &callTallies[key, default: Tally(buckets: Array(repeating: 0, count: bounds.count))], seconds, weight, bounds)
            if span.kind == .server, let http = Self.httpLabels(span, service: service) {
                Self.add(to: &httpTallies[http, default: Tally(buckets: Array(repeating: 0, count: httpBounds.count))], seconds, weight, httpBounds)
            }
        }
        let series = callTallies.map { key, tally in
            let status: SpanStatus = key.isError ? .error(description: nil) : key.isOK ? .ok : .unset
            return ([key.service, key.name, Self.kindLabel(key.kind), Self.statusLabel(status)], tally)
        }
        calls.update { updater in
            for (labels, tally) in series { updater.add(tally.count, labels) }
        }
        duration.update { updater in
            for (labels, tally) in series { updater.observe(count: tally.count, sum: tally.sum, bucketCounts: tally.buckets, labels) }
        }
        if !httpTallies.isEmpty {
            httpRequests.update { updater in
                for (labels, tally) in httpTallies { updater.add(tally.count, labels) }
            }
            httpDuration.update { updater in
                for (labels, tally) in httpTallies { updater.observe(count: tally.count, sum: tally.sum, bucketCounts: tally.buckets, labels) }
            }
        }
        return spans
    }

    private static func add(to tally: inout Tally, _ seconds: Double, _ weight: Double, _ bounds: [Double]) {
        tally.count += weight
        tally.sum += seconds * weight
        if let index = bounds.firstIndex(where: { seconds <= $0 }) { tally.buckets[index] += weight }
    }

    /// The connector's `span_kind` values.
    static func kindLabel(_ kind: SpanKind) -> String {
        switch kind {
        case .internal: "SPAN_KIND_INTERNAL"
        case .server: "SPAN_KIND_SERVER"
        case .client: "SPAN_KIND_CLIENT"
        case .producer: "SPAN_KIND_PRODUCER"
        case .consumer: "SPAN_KIND_CONSUMER"
        }
    }

    /// The connector's `status_code` values.
    static func statusLabel(_ status: SpanStatus) -> String {
        switch status {
        case .unset: "STATUS_CODE_UNSET"
        case .ok: "STATUS_CODE_OK"
        case .error: "STATUS_CODE_ERROR"
        }
    }

    /// `[service, method, path, status]` from current or legacy HTTP semantic conventions.
    static func httpLabels(_ span: SpanData, service: String? = nil) -> [String]? {
        let attributes = span.attributes
        guard let method = (attributes["http.request.method"] ?? attributes["http.method"])?.description else { return nil }
        let path = (attributes["http.route"] ?? attributes["url.path"] ?? attributes["http.target"])?.description ?? ""
        let status = (attributes["http.response.status_code"] ?? attributes["http.status_code"])?.intValue.map(String.init) ?? ""
        return [service ?? span.resource.serviceName, method, path, status]
    }
}
