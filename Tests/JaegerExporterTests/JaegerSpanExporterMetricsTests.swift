import MetricsTestKit
import TelemetryHTTPExport
import TelemetryTesting
import Testing

@testable import JaegerExporter

/// The exporter reports its deliveries to the metrics factory it was given, not the global one.
@Suite struct JaegerSpanExporterMetricsTests {
    @Test func aFailedDeliveryIsCountedInTheInjectedFactory() async throws {
        let metrics = TestMetrics()
        // Nothing listens on port 1: the client keeps trying to connect until the 1 s timeout, and
        // with no retries the batch is then given up.
        let exporter = JaegerSpanExporter(
            configuration: .init(endpoint: "http://127.0.0.1:1/api/traces", timeout: .seconds(1), retryPolicy: .none),
            metricsFactory: metrics
        )
        await #expect(throws: (any Error).self) {
            try await exporter.export([SpanFixtures.full, SpanFixtures.root])
        }
        let jaeger = [("exporter", "jaeger")]
        #expect(metrics.counterTotal(label: "telemetry_exporter_failures_total", dimensions: jaeger) == 1)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_dropped_total") == 2)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_exported_total") == 0)
    }
}
