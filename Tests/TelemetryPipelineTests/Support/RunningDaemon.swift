import Logging
import ServiceLifecycle
import TelemetryCore
import Testing

@testable import TelemetryPipeline

/// A daemon on loopback ports chosen by the system, with spans collected in memory.
struct RunningDaemon {
    static let yaml = """
        receivers:
          otlp: {protocols: {http: {endpoint: "127.0.0.1:0", max_request_body_size: 4096}}}
          jaeger: {protocols: {thrift_http: {endpoint: "127.0.0.1:0"}}}
        processors:
          batch: {send_batch_size: 50, timeout: 50ms}
          spanmetrics: {}
          errors: {}
          health: {}
          circuit_breakers: {}
        exporters:
          debug: {}
          prometheus: {endpoint: "127.0.0.1:0"}
        service:
          pipelines:
            traces: {receivers: [otlp, jaeger], processors: [batch, spanmetrics, errors, health, circuit_breakers], exporters: [debug, prometheus]}
          monitoring: {endpoint: "127.0.0.1:0"}
        """

    let daemon: PipelineDaemon
    let group: ServiceGroup
    let exporter: CollectingExporter

    /// Starts the daemon and runs `body` with it; shuts it down gracefully afterwards.
    /// `listeners` is how many servers `yaml` starts (receivers, scrape endpoints, monitoring).
    static func with(
        yaml: String = Self.yaml, environment: [String: String] = [:], decoders: TraceDecoders = FakeCodec.decoders,
        listeners: Int = 4, _ body: (RunningDaemon) async throws -> Void
    ) async throws {
        let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "test.yaml", environment: environment)
        let exporter = CollectingExporter()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let daemon = try PipelineDaemon(
            configuration: configuration, logger: logger, environment: environment, decoders: decoders,
            exporterFactory: { id, settings, logger in
                if case .prometheus = settings { return MetricsOnlyExporter() }
                return exporter
            }, clock: WallClock.system, onListening: { _, _ in })
        let group = ServiceGroup(configuration: .init(services: daemon.services, logger: logger))
        let running = RunningDaemon(daemon: daemon, group: group, exporter: exporter)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Bounded: a listener that never binds fails the test instead of hanging the suite.
            let deadline = ContinuousClock.now + .seconds(30)
            while daemon.listening.count < listeners {
                guard ContinuousClock.now < deadline else {
                    await group.triggerGracefulShutdown()
                    throw RunningDaemonError.listenersNeverBound(expected: listeners, bound: daemon.listening.keys.sorted())
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            do {
                try await body(running)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    func url(_ listener: String, _ path: String) -> String {
        "http://127.0.0.1:\(daemon.listening[listener]!.split(separator: ":").last!)\(path)"
    }

    var otlp: String { url("receiver otlp", "/v1/traces") }
    var jaeger: String { url("receiver jaeger", "/api/traces") }
    var zipkin: String { url("receiver zipkin", "/api/v2/spans") }
    var monitoring: String { url("monitoring", "") }
    var prometheus: String { url("exporter prometheus", "/metrics") }
}

enum RunningDaemonError: Error {
    case listenersNeverBound(expected: Int, bound: [String])
}
