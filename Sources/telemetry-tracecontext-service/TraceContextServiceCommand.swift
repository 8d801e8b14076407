import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TelemetryCore
import TelemetryTracing
import UnixSignals

/// Parses the flags and runs ``TraceContextTestService`` until SIGTERM or SIGINT.
@main
struct TraceContextServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry-tracecontext-service",
        abstract: "The test service for the W3C Trace Context harness (test/test.py of w3c/trace-context).",
        discussion: """
            Serves POST /test: each element {"url": ..., "arguments": ...} of the JSON array is \
            answered by POSTing its arguments to its url, continuing the incoming trace through \
            the SDK's tracer, middleware and instrumented client. Sampling is parent-based.
            """
    )

    @Option(help: "The port to listen on; 0 picks a free one (logged at start).")
    var port: Int

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Flag(help: "Print every sampled span to standard output.")
    var printSpans = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port (0...65535)") }
    }

    /// The tracer the service runs with: the SDK's default sampling made explicit, because the
    /// harness expects the caller's sampled flag to come back unchanged (`parentbased_always_on`).
    static func makeTracer(processor: any SpanProcessor) -> TelemetryTracer {
        TelemetryTracer(
            processor: processor,
            configuration: .init(
                sampler: ParentBasedSampler(root: AlwaysOnSampler()),
                resource: TelemetryResource(serviceName: "telemetry-tracecontext-service")
            )
        )
    }

    func run() async throws {
        let logger = Logger(label: "telemetry-tracecontext-service")
        let exporter: any SpanExporter = printSpans ? ConsoleSpanExporter() : DiscardingSpanExporter()
        let processor = SimpleSpanProcessor(exporter: exporter)
        let service = TraceContextTestService(tracer: Self.makeTracer(processor: processor))
        let application = Application(
            router: service.makeRouter(),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port.map(String.init) ?? "?"
                logger.info("listening", metadata: ["endpoint": "http://\(host):\(port)\(TraceContextTestService.path)"])
            },
            logger: logger
        )
        // The server stops before the processor, so spans of the last requests are still taken.
        let group = ServiceGroup(services: [processor, application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            try? await service.shutdown()
            throw error
        }
        try await service.shutdown()
    }
}
