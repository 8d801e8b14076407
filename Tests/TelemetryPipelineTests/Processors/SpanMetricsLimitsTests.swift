import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("spanmetrics limits and route labels")
struct SpanMetricsLimitsTests {
    static func serverSpan(service: String = "api", name: String, spanID: UInt64 = 1, _ attributes: TelemetryAttributes) -> TelemetrySpanData {
        Spans.make(service: service, name: name, spanID: spanID, attributes: attributes)
    }

    static func httpLabels(_ registry: MetricRegistry) -> Set<[String]> {
        Set(registry.lookup("http_requests_total")?.snapshot().keys.map { $0 } ?? [])
    }

    @Test("path comes from http.route, never from url.path or http.target")
    func pathFromRoute() {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        _ = processor.process(
            [
                Self.serverSpan(
                    name: "GET /users/{id}",
                    [
                        "http.request.method": "GET", "http.route": "/users/{id}", "url.path": "/users/123", "http.response.status_code": 200,
                    ]),
                Self.serverSpan(name: "GET", spanID: 2, ["http.method": "GET", "http.target": "/users/456?x=1", "http.status_code": 200]),
            ], now: 0)
        #expect(Self.httpLabels(registry) == [["api", "GET", "/users/{id}", "200"], ["api", "GET", "", "200"]])
        #expect(!registry.render().contains("/users/123"))
        #expect(!registry.render().contains("/users/456"))
    }

    @Test(
        "without http.route the path is the span name without its method token",
        arguments: [
            ("GET /orders/{id}", "/orders/{id}"),
            ("POST  /login", "/login"),
            ("HTTP /legacy", "/legacy"),
            ("GET", ""),
            ("checkout", "checkout"),
            ("get /lowercase-is-not-a-method", "get /lowercase-is-not-a-method"),
        ])
    func pathFromSpanName(name: String, path: String) {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        _ = processor.process([Self.serverSpan(name: name, ["http.request.method": "GET", "url.path": "/raw/9"])], now: 0)
        #expect(Self.httpLabels(registry) == [["api", "GET", path, ""]])
    }

    @Test("methods outside the standard set become _OTHER")
    func methodIsBounded() {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        let methods = ["GET", "POST", "PATCH", "get", "BREW", "X-\(UInt64.max)", ""]
        _ = processor.process(
            methods.enumerated().map { index, method in
                Self.serverSpan(name: "op", spanID: UInt64(index + 1), ["http.request.method": .string(method), "http.route": "/r"])
            }, now: 0)
        #expect(Set(Self.httpLabels(registry).map { $0[1] }) == ["GET", "POST", "PATCH", "_OTHER"])
        #expect(registry.lookup("http_requests_total")?.value(["api", "_OTHER", "/r", ""]) == 4)
    }

    @Test("unique services, names and routes stay within the cardinality limit and every call is still counted")
    func cardinalityLimitKeepsTotals() {
        let registry = MetricRegistry()
        var configuration = SpanMetricsProcessor.Configuration.default
        configuration.aggregationCardinalityLimit = 50
        let processor = SpanMetricsProcessor(configuration: configuration, registry: registry)
        for batch in 0..<4 {
            let spans = (0..<250).map { index in
                let unique = batch * 250 + index
                return Self.serverSpan(
                    service: "svc-\(unique)", name: "GET /p/\(unique)", spanID: UInt64(unique + 1),
                    [
                        "http.request.method": "GET", "http.route": .string("/p/\(unique)"), "http.response.status_code": 200,
                    ])
            }
            _ = processor.process(spans, now: UInt64(batch))
        }
        for name in ["traces_span_metrics_calls_total", "traces_span_metrics_duration_seconds", "http_requests_total", "http_request_duration_seconds"] {
            let family = registry.lookup(name)
            #expect(family?.snapshot().count == 50, "\(name)")
            let total = (family?.snapshot().values.reduce(0) { $0 + $1.value } ?? 0) + (family?.overflowValue() ?? 0)
            #expect(total == 1_000, "\(name)")
        }
        let text = registry.render()
        #expect(text.contains("traces_span_metrics_calls_total{otel_metric_overflow=\"true\"} 950\n"))
        #expect(text.contains("http_request_duration_seconds_count{otel_metric_overflow=\"true\"} 950\n"))
        #expect(text.contains("pipeline_metric_series_overflow_total{metric=\"traces_span_metrics_calls_total\"} 950\n"))
    }

    @Test("metrics_expiration removes idle series on tick; the default keeps them")
    func expiration() {
        let registry = MetricRegistry()
        var configuration = SpanMetricsProcessor.Configuration.default
        configuration.metricsExpiration = .seconds(60)
        let processor = SpanMetricsProcessor(configuration: configuration, registry: registry)
        let second: UInt64 = 1_000_000_000
        _ = processor.process([Spans.make(name: "old")], now: 10 * second)
        _ = processor.process([Spans.make(name: "new")], now: 50 * second)
        _ = processor.tick(now: 80 * second)
        let calls = registry.lookup("traces_span_metrics_calls_total")
        #expect(calls?.snapshot().keys.map { $0[1] } == ["new"])

        let keeping = MetricRegistry()
        let defaults = SpanMetricsProcessor(configuration: .default, registry: keeping)
        _ = defaults.process([Spans.make(name: "old")], now: 10 * second)
        _ = defaults.tick(now: 1_000_000 * second)
        #expect(keeping.lookup("traces_span_metrics_calls_total")?.snapshot().count == 1)
    }
}
