import TelemetryHTTPServer
import TelemetryMetrics

/// A metrics backend and instrumentation private to one test, so tests never share counters.
struct TestBackend {
    let metrics = PrometheusMetricsBackend(configuration: .init(enabled: true, port: 0, path: "/metrics"))
    let tracer = RecordingTracer()
    let instrumentation: HTTPInstrumentation

    init(service: String = "test-service") {
        instrumentation = HTTPInstrumentation(service: service, tracer: tracer, metricsFactory: metrics.factory)
    }

    var exposition: String { String(decoding: metrics.exposition(), as: UTF8.self) }

    /// The value of the sample line that starts with `series` (name and labels), if present.
    func sample(_ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
