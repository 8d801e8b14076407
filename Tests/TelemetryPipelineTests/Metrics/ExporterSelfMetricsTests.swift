import Hummingbird
import Logging
import OTLPExporter
import ServiceLifecycle
import Synchronization
import TelemetryTesting
import Testing

@testable import TelemetryPipeline

/// A real daemon forwarding to a real collector that refuses once: the OTLP exporter's retry
/// and delivery show on the pipeline's own scrape endpoint.
// Bounded: its waits for listeners and the collector end when the limit cancels them.
@Suite(.timeLimit(.minutes(1))) struct ExporterSelfMetricsTests {
    @Test func theExportersDeliveryMetricsAreScrapedFromThePipeline() async throws {
        let requests = Atomic(0)
        let router = Router()
        router.post("/v1/traces") { _, _ -> Response in
            let attempt = requests.add(1, ordering: .relaxed).newValue
            return Response(status: attempt == 1 ? .serviceUnavailable : .ok)
        }
        let collectorPort = Mutex<Int?>(nil)
        var quiet = Logger(label: "test")
        quiet.logLevel = .warning
        let collector = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in collectorPort.withLock { $0 = channel.localAddress?.port } },
            logger: quiet)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let collectorGroup = ServiceGroup(configuration: .init(services: [collector], logger: quiet))
            tasks.addTask { try await collectorGroup.run() }
            var port: Int?
            while port == nil {
                try await Task.sleep(for: .milliseconds(20))
                port = collectorPort.withLock { $0 }
            }

            let yaml = """
                receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:0"}}}}
                processors: {batch: {send_batch_size: 10, timeout: 20ms}}
                exporters:
                  otlphttp: {endpoint: "http://127.0.0.1:\(port!)", retry_on_failure: {initial_interval: 100ms}}
                  prometheus: {endpoint: "127.0.0.1:0"}
                service:
                  pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [otlphttp, prometheus]}}
                  monitoring: {endpoint: "127.0.0.1:0"}
                """
            let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "test.yaml", environment: [:])
            let daemon = try PipelineDaemon(configuration: configuration, logger: quiet, environment: [:])
            let daemonGroup = ServiceGroup(configuration: .init(services: daemon.services, logger: quiet))
            tasks.addTask { try await daemonGroup.run() }
            while daemon.listening.count < 3 { try await Task.sleep(for: .milliseconds(20)) }
            func url(_ listener: String, _ path: String) -> String {
                "http://127.0.0.1:\(daemon.listening[listener]!.split(separator: ":").last!)\(path)"
            }

            let body = OTLPTraceEncoder.encode([SpanFixtures.full, SpanFixtures.root], format: .protobuf)
            let reply = try await TestHTTP.send(
                url("receiver otlp", "/v1/traces"), body: body, headers: ["Content-Type": "application/x-protobuf"])
            #expect(reply.status == 200)

            // The first attempt is refused with 503; the pipeline's retry layer (not the delivery's
            // own) tries again after 50-150 ms and is accepted.
            var metrics = ""
            for _ in 0..<200 where !metrics.contains("telemetry_exporter_spans_exported_total{exporter=\"otlp\"} 2") {
                try await Task.sleep(for: .milliseconds(50))
                metrics = try await TestHTTP.get(url("exporter prometheus", "/metrics")).body
            }
            #expect(requests.load(ordering: .relaxed) == 2)
            #expect(metrics.contains("telemetry_exporter_spans_exported_total{exporter=\"otlp\"} 2\n"))
            #expect(metrics.contains("telemetry_exporter_retries_total{exporter=\"otlphttp\"} 1\n"))
            #expect(metrics.contains("telemetry_exporter_spans_dropped_total{exporter=\"otlphttp\",reason=\"queue_full\"} 0\n"))
            #expect(metrics.contains("telemetry_exporter_queue_capacity{exporter=\"otlphttp\"} 1000\n"))
            #expect(metrics.contains("telemetry_exporter_export_duration_seconds_count{exporter=\"otlp\"} 1\n"))
            #expect(metrics.contains("pipeline_exporter_sent_spans_total{exporter=\"otlphttp\"} 2\n"))

            await daemonGroup.triggerGracefulShutdown()
            await collectorGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
