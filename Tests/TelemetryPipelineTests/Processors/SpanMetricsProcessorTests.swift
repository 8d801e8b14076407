import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("spanmetrics")
struct SpanMetricsProcessorTests {
    @Test("calls are counted per service, name, kind and status with the connector's label values")
    func countsCalls() {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        let spans = [
            Spans.make(), Spans.make(spanID: 2),
            Spans.make(spanID: 3, status: .error(description: "HTTP 500")),
            Spans.make(service: "api-gateway", name: "GET user-service", kind: .client, spanID: 4),
        ]
        let passed = processor.process(spans, now: 0)
        #expect(passed.count == 4)
        let calls = registry.lookup("traces_span_metrics_calls_total")!
        #expect(calls.value(["user-service", "GET /internal", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"]) == 2)
        #expect(calls.value(["user-service", "GET /internal", "SPAN_KIND_SERVER", "STATUS_CODE_ERROR"]) == 1)
        #expect(calls.value(["api-gateway", "GET user-service", "SPAN_KIND_CLIENT", "STATUS_CODE_UNSET"]) == 1)
    }

    @Test("spans sampled at 25% and 50% count as 4 and 2 calls")
    func weightsByInverseProbability() {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        _ = processor.process([Spans.make(traceState: Spans.sampled(at: 0.25)), Spans.make(spanID: 2, traceState: Spans.sampled(at: 0.5))], now: 0)
        let calls = registry.lookup("traces_span_metrics_calls_total")!
        let value = calls.value(["user-service", "GET /internal", "SPAN_KIND_SERVER", "STATUS_CODE_UNSET"]) ?? 0
        #expect(value == 6)
        let text = registry.render()
        #expect(
            text.contains(
                "traces_span_metrics_duration_seconds_count{service_name=\"user-service\",span_name=\"GET /internal\",span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_UNSET\"} 6\n"
            ))
    }

    @Test("SERVER spans with HTTP attributes feed http_requests_total and the duration histogram")
    func httpMetrics() {
        let registry = MetricRegistry()
        let processor = SpanMetricsProcessor(configuration: .default, registry: registry)
        let attributes: TelemetryAttributes = ["http.request.method": "GET", "http.route": "/api/v1/users", "http.response.status_code": 200]
        _ = processor.process(
            [
                Spans.make(service: "api-gateway", durationMillis: 30, attributes: attributes),
                Spans.make(service: "api-gateway", kind: .client, spanID: 2, attributes: attributes),
            ], now: 0)
        let text = registry.render()
        #expect(text.contains("http_requests_total{service=\"api-gateway\",method=\"GET\",path=\"/api/v1/users\",status=\"200\"} 1\n"))
        #expect(
            text.contains("http_request_duration_seconds_bucket{service=\"api-gateway\",method=\"GET\",path=\"/api/v1/users\",status=\"200\",le=\"0.05\"} 1\n"))
        #expect(
            text.contains("http_request_duration_seconds_bucket{service=\"api-gateway\",method=\"GET\",path=\"/api/v1/users\",status=\"200\",le=\"0.025\"} 0\n")
        )
    }

    @Test("label values are escaped in the exposition")
    func escapesLabels() {
        let registry = MetricRegistry()
        registry.counter("x_total", help: "h", labels: ["a"]).add(1.5, ["quote\" back\\ new\nline"])
        #expect(registry.render() == "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"quote\\\" back\\\\ new\\nline\"} 1.5\n")
    }
}
