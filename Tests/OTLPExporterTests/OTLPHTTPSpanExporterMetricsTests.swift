import MetricsTestKit
import TelemetryHTTPExport
import TelemetryTesting
import Testing

@testable import OTLPExporter

/// The exporter reports its deliveries to the metrics factory it was given, not the global one.
@Suite struct OTLPHTTPSpanExporterMetricsTests {
    @Test func aFailedDeliveryIsCountedInTheInjectedFactory() async throws {
        let metrics = TestMetrics()
        // Nothing listens on port 1: the client keeps trying to connect until the 1 s timeout, and
        // with no retries the batch is then given up.
        var configuration = OTLPHTTPSpanExporter.Configuration.default
        configuration.endpoint = "http://127.0.0.1:1/v1/traces"
        configuration.retryPolicy = .none
        configuration.timeout = .seconds(1)
        let exporter = OTLPHTTPSpanExporter(configuration: configuration, metricsFactory: metrics)
        await #expect(throws: (any Error).self) {
            try await exporter.export([SpanFixtures.full, SpanFixtures.root])
        }
        let otlp = [("exporter", "otlp")]
        #expect(metrics.counterTotal(label: "telemetry_exporter_failures_total", dimensions: otlp) == 1)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_dropped_total") == 2)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_exported_total") == 0)
    }
}
