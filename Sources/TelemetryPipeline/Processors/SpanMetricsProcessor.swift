import TelemetryCore

/// Derives RED metrics from spans, under the OpenTelemetry Collector spanmetrics
/// connector's Prometheus names (so Jaeger's Monitor tab and existing dashboards read them)
/// and the seed's `http_requests_total` / `http_request_duration_seconds` from SERVER spans.
///
/// Each span counts `TelemetrySpanData.adjustedCount` times (1/p for a span sampled at p), so a
/// sample estimates the full traffic.
///
/// Labels come from incoming spans, so each family holds at most
/// `aggregation_cardinality_limit` series and folds the rest into its
/// `otel_metric_overflow="true"` series. The HTTP families' `path` is the route
/// (`http.route`, else the span name without its method), never the raw `url.path` or
/// `http.target`, and `method` is one of the standard methods or `_OTHER`.
package struct SpanMetricsProcessor: SpanProcessorStage {
    /// The `spanmetrics` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// Duration buckets in seconds (`histogram.explicit.buckets`, default the connector's
        /// 2ms … 15s).
        package var buckets: [Double] = [0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15]
        /// Buckets of `http_request_duration_seconds` (`http_buckets`, default Prometheus' defaults).
        package var httpBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        /// Most series per family (`aggregation_cardinality_limit`, default 2000); what would
        /// create more folds into the family's overflow series.
        package var aggregationCardinalityLimit = 2_000
        /// Series idle this long are removed (`metrics_expiration`, default 0: never, as in the
        /// Collector's connector, because an expired counter loses its total).
        package var metricsExpiration: Duration = .zero
        package static let `default` = Configuration()

        var limits: MetricFamily.Limits {
            MetricFamily.Limits(
                maxSeries: aggregationCardinalityLimit, expiration: metricsExpiration > .zero ? metricsExpiration : nil)
        }
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
        let limits = configuration.limits
        let labels = ["service_name", "span_name", "span_kind", "status_code"]
        calls = registry.counter(
            "traces_span_metrics_calls_total", help: "Spans by service, name, kind and status, sampling-adjusted.", labels: labels,
            limits: limits)
        duration = registry.histogram(
            "traces_span_metrics_duration_seconds", help: "Span durations in seconds, sampling-adjusted.",
            buckets: configuration.buckets, labels: labels, limits: limits)
        let httpLabels = ["service", "method", "path", "status"]
        httpRequests = registry.counter(
            "http_requests_total", help: "HTTP requests served, from SERVER spans, sampling-adjusted.", labels: httpLabels,
            limits: limits)
        httpDuration = registry.histogram(
            "http_request_duration_seconds", help: "HTTP request durations in seconds, from SERVER spans.",
            buckets: configuration.httpBuckets, labels: httpLabels, limits: limits)
    }

    var families: [MetricFamily] { [calls, duration, httpRequests, httpDuration] }

    /// One series' share of a batch: summed first, so a batch of thousands of spans touches
    /// each series once instead of building label arrays per span.
    struct Tally {
        var count = 0.0
        var sum = 0.0
        var buckets: [Double]
    }

    /// A series of the calls family, with the service as its batch index (see `ServiceIndex`).
    struct CallKey: Hashable {
        var service: Int
        var name: String
        var kind: TelemetrySpanKind
        var isError: Bool
        var isOK: Bool
    }

    /// A series of the HTTP families; labels are made once per series, not per span.
    struct HTTPKey: Hashable {
        var service: Int
        var method: String
        var path: String
        var status: Int64?
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        var services = ServiceIndex()
        var callTallies: [CallKey: Tally] = [:]
        var httpTallies: [HTTPKey: Tally] = [:]
        // Through the buffer, so spans are borrowed in place rather than copied (and their
        // references counted) one by one.
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                let weight = spans.weight(at: index)
                let seconds = spans.durationSeconds(at: index)
                let service = services.index(of: spans[index].resource)
                let status = spans[index].status
                let key = CallKey(service: service, name: spans[index].name, kind: spans[index].kind, isError: status.isError, isOK: status == .ok)
                Self.add(to: &callTallies[key, default: Tally(buckets: Array(repeating: 0, count: bounds.count))], seconds, weight, bounds)
                if spans[index].kind == .server, let http = Self.httpKey(spans[index].attributes, spanName: spans[index].name, service: service) {
                    Self.add(to: &httpTallies[http, default: Tally(buckets: Array(repeating: 0, count: httpBounds.count))], seconds, weight, httpBounds)
                }
            }
        }
        let names = services.names
        let series = callTallies.map { key, tally in
            let status: TelemetrySpanStatus = key.isError ? .error(description: nil) : key.isOK ? .ok : .unset
            return ([names[key.service], key.name, Self.kindLabel(key.kind), Self.statusLabel(status)], tally)
        }
        calls.update(now: now) { updater in
            for (labels, tally) in series { updater.add(tally.count, labels) }
        }
        duration.update(now: now) { updater in
            for (labels, tally) in series { updater.observe(count: tally.count, sum: tally.sum, bucketCounts: tally.buckets, labels) }
        }
        if !httpTallies.isEmpty {
            let httpSeries = httpTallies.map { key, tally in
                ([names[key.service], key.method, key.path, key.status.map(String.init) ?? ""], tally)
            }
            httpRequests.update(now: now) { updater in
                for (labels, tally) in httpSeries { updater.add(tally.count, labels) }
            }
            httpDuration.update(now: now) { updater in
                for (labels, tally) in httpSeries { updater.observe(count: tally.count, sum: tally.sum, bucketCounts: tally.buckets, labels) }
            }
        }
        return spans
    }

    /// Removes series idle past `metrics_expiration` (none by default).
    package func tick(now: UInt64) -> [TelemetrySpanData] {
        for family in families { family.expireIdle(now: now) }
        return []
    }

    private static func add(to tally: inout Tally, _ seconds: Double, _ weight: Double, _ bounds: [Double]) {
        tally.count += weight
        tally.sum += seconds * weight
        if let index = bounds.firstIndex(where: { seconds <= $0 }) { tally.buckets[index] += weight }
    }

    /// The connector's `span_kind` values.
    static func kindLabel(_ kind: TelemetrySpanKind) -> String {
        switch kind {
        case .internal: "SPAN_KIND_INTERNAL"
        case .server: "SPAN_KIND_SERVER"
        case .client: "SPAN_KIND_CLIENT"
        case .producer: "SPAN_KIND_PRODUCER"
        case .consumer: "SPAN_KIND_CONSUMER"
        }
    }

    /// The connector's `status_code` values.
    static func statusLabel(_ status: TelemetrySpanStatus) -> String {
        switch status {
        case .unset: "STATUS_CODE_UNSET"
        case .ok: "STATUS_CODE_OK"
        case .error: "STATUS_CODE_ERROR"
        }
    }

    /// The HTTP series of a SERVER span, in one pass over its attributes; `nil` without a method.
    static func httpKey(_ attributes: TelemetryAttributes, spanName: String, service: Int) -> HTTPKey? {
        // Positions, borrowed from the buffer, so attributes are not copied one by one.
        // Current conventions win over legacy ones, as in `http.request.method ?? http.method`.
        // `url.path` and `http.target` are never read: raw paths carry ids and would make a
        // series per request.
        let none = -1
        var method = none, legacyMethod = none, route = none, status = none, legacyStatus = none
        return attributes.elements.withUnsafeBufferPointer { attributes -> HTTPKey? in
            for index in attributes.indices {
                switch attributes[index].key {
                case "http.request.method": method = index
                case "http.method": legacyMethod = index
                case "http.route": route = index
                case "http.response.status_code": status = index
                case "http.status_code": legacyStatus = index
                default: continue
                }
            }
            func first(_ positions: Int...) -> TelemetryAttributeValue? {
                for position in positions where position != none { return attributes[position].value }
                return nil
            }
            guard let method = first(method, legacyMethod)?.description else { return nil }
            let path = first(route)?.description ?? HTTPRouteLabel.route(fromSpanName: spanName)
            return HTTPKey(
                service: service, method: HTTPRouteLabel.method(method), path: path,
                status: first(status, legacyStatus)?.intValue)
        }
    }
}
