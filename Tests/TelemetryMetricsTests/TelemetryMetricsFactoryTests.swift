import CoreMetrics
import Prometheus
import Testing

@testable import TelemetryMetrics

@Suite struct TelemetryMetricsFactoryTests {
    @Test func seedMetricsCarryHelpAndTypeLines() {
        let backend = PrometheusMetricsBackend(configuration: .init(enabled: true, port: 0, path: "/metrics", includeProcessMetrics: false))
        let metrics = HTTPServerMetrics(service: "gateway", factory: backend.factory)
        metrics.requestStarted()
        metrics.requestFinished(method: "GET", path: "/api/v1/users/{id}", status: 200, duration: .milliseconds(30))
        CoreMetrics.Gauge(label: MetricCatalog.errorRate, dimensions: [("service", "gateway"), ("type", "authentication")], factory: backend.factory)
            .record(0.25)
        let text = String(decoding: backend.exposition(), as: UTF8.self)

        #expect(text.contains("# HELP http_requests_total "))
        #expect(text.contains("# TYPE http_requests_total counter"))
        #expect(text.contains(#"http_requests_total{method="GET",path="/api/v1/users/{id}",status="200"} 1"#))
        #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
        #expect(text.contains(#"http_request_duration_seconds_bucket{method="GET",path="/api/v1/users/{id}",status="200",le="0.025"} 0"#))
        #expect(text.contains(#"http_request_duration_seconds_bucket{method="GET",path="/api/v1/users/{id}",status="200",le="0.05"} 1"#))
        #expect(text.contains(#"http_request_duration_seconds_count{method="GET",path="/api/v1/users/{id}",status="200"} 1"#))
        #expect(text.contains(#"active_connections{service="gateway"} 0.0"#))
        #expect(text.contains(#"error_rate{service="gateway",type="authentication"} 0.25"#))
        #expect(text.contains("# HELP error_rate "))
    }

    @Test func countsExactlyTheRequestsRecorded() {
        let backend = PrometheusMetricsBackend(configuration: .init(enabled: true, port: 0, path: "/metrics", includeProcessMetrics: false))
        let metrics = HTTPServerMetrics(service: "user-service", factory: backend.factory)
        for index in 0..<37 {
            metrics.requestStarted()
            metrics.requestFinished(method: "POST", path: "/login", status: index % 5 == 0 ? 401 : 200, duration: .microseconds(index))
        }
        let text = String(decoding: backend.exposition(), as: UTF8.self)
        #expect(text.contains(#"http_requests_total{method="POST",path="/login",status="200"} 29"#))
        #expect(text.contains(#"http_requests_total{method="POST",path="/login",status="401"} 8"#))
    }

    @Test func applicationMetricsGetHelpTextsToo() {
        var factory = TelemetryMetricsFactory(helpTexts: ["orders_placed_total": "Orders accepted."])
        factory.defaultValueBuckets = [1, 2]
        CoreMetrics.Counter(label: "orders_placed_total", factory: factory).increment(by: 3)
        CoreMetrics.Counter(label: "cache.hits", factory: factory).increment()
        var buffer: [UInt8] = []
        factory.registry.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("# HELP orders_placed_total Orders accepted.\n"))
        #expect(text.contains("orders_placed_total 3\n"))
        #expect(text.contains("# HELP cache_hits "))
    }

    @Test func contentTypeIsTextFormat004() {
        #expect(PrometheusExposition.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }
}
