import Logging
import ServiceLifecycle
import TelemetryHTTPServer
import TelemetryTracing
import Tracing
import UnixSignals

struct Checkout: Service {
    func run() async throws {
        try await withSpan("checkout", ofKind: .server) { span in
            span.attributes["cart.items"] = 3
            try await withSpan("charge card", ofKind: .client) { _ in
                try await Task.sleep(for: .milliseconds(20))  // call the payment API here
            }
        }
    }
}

@main
enum App {
    static func main() async throws {
        // trace_id and span_id in every log line written inside a span.
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput, metadataProvider: .telemetry)
        let logger = Logger(label: "checkout")
        // Throws, naming the variable, when e.g. TRACING_SAMPLER=abc. This program only traces, so it
        // serves no health or metrics endpoints; a service keeps the default (8080 and 9090).
        let telemetry = try ServiceTelemetry.bootstrap(serviceName: "checkout", endpoints: .withoutEndpoints) { _ in
            ConsoleSpanExporter()  // or JaegerSpanExporter / OTLPHTTPSpanExporter / OTLPGRPCSpanExporter
        }
        // Services stop in reverse order: telemetry, listed first, stops last and exports every span.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: telemetry), .init(service: Checkout(), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm], logger: logger
        ))
        try await group.run()
    }
}
