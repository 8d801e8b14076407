// A small instrumented service: a user API behind TelemetryMiddleware, plus the telemetry
// endpoints on HEALTH_PORT / METRICS_PORT. Used by the interop checks and as a wiring example.
//
//   APP_PORT=8000 METRICS_PORT=9090 HEALTH_PORT=8080 telemetry-example-server
//
// One bootstrap reads TRACING_*, OTEL_*, METRICS_* and HEALTH_*, installs the tracer and the
// metrics backend, and returns the services to run. Spans go over OTLP/HTTP when
// TRACING_ENDPOINT or OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set, else nowhere.

import Foundation
import HealthChecks
import Hummingbird
import Logging
import OTLPExporter
import ServiceLifecycle
import TelemetryCore
import TelemetryHTTPExport
import TelemetryHTTPServer
import UnixSignals

let environment = ProcessInfo.processInfo.environment
let logger = Logger(label: "telemetry-example-server")
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("telemetry-example-server: \(message)\n".utf8))
    exit(2)
}
guard let appPort = Int(environment["APP_PORT"] ?? "8000"), (0...65535).contains(appPort) else {
    fail("APP_PORT=\"\(environment["APP_PORT"] ?? "")\" is not a port")
}

let telemetry: ServiceTelemetry
do {
    telemetry = try ServiceTelemetry.bootstrap(
        serviceName: "example-service",
        logger: logger,
        onListening: { role, port in
            logger.info("telemetry endpoints listening", metadata: ["role": "\(role.rawValue)", "port": "\(port)"])
        }
    ) { _ in
        let endpointVariables = ["TRACING_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
        guard endpointVariables.contains(where: { environment[$0]?.isEmpty == false }) else { return DiscardingSpanExporter() }
        return OTLPHTTPSpanExporter(configuration: try OTLPHTTPSpanExporter.Configuration(environment: environment), logger: logger)
    }
} catch {
    fail("\(error)")
}
telemetry.health.register(DatabaseHealthCheck { try await Task.sleep(for: .milliseconds(1)) })

let router = Router()
router.add(middleware: TelemetryMiddleware(instrumentation: telemetry.instrumentation))
router.get("/api/v1/users/{id}") { _, context in
    "{\"id\":\"\(try context.parameters.require("id"))\"}"
}
router.post("/api/v1/login") { _, _ -> String in
    throw HTTPError(.unauthorized)
}

let application = Application(
    router: router,
    configuration: .init(address: .hostname(telemetry.configuration.host, port: appPort)),
    logger: logger
)
let group = ServiceGroup(
    services: [telemetry, application],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: logger
)
try await group.run()
