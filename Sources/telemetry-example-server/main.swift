// A small instrumented service: a user API behind TelemetryMiddleware, plus the telemetry
// endpoints on HEALTH_PORT / METRICS_PORT. Used by the interop checks and as a wiring example.
//
//   APP_PORT=8000 METRICS_PORT=9090 HEALTH_PORT=8080 telemetry-example-server

import Foundation
import HealthChecks
import Hummingbird
import Logging
import ServiceLifecycle
import TelemetryMetrics
import TelemetryServer

let environment = ProcessInfo.processInfo.environment
let logger = Logger(label: "telemetry-example-server")
let configuration: TelemetryServer.Configuration
do {
    configuration = try TelemetryServer.Configuration(environment: environment)
} catch {
    FileHandle.standardError.write(Data("telemetry-example-server: \(error)\n".utf8))
    exit(2)
}
guard let appPort = Int(environment["APP_PORT"] ?? "8000"), (0...65535).contains(appPort) else {
    FileHandle.standardError.write(Data("telemetry-example-server: APP_PORT=\"\(environment["APP_PORT"] ?? "")\" is not a port\n".utf8))
    exit(2)
}

let metrics = PrometheusMetricsBackend(configuration: configuration.metrics)
metrics.bootstrap()
let health = HealthRegistry(configuration: configuration.healthRegistry)
health.register(DatabaseHealthCheck { try await Task.sleep(for: .milliseconds(1)) })
let instrumentation = HTTPInstrumentation(service: configuration.serviceName, metricsFactory: metrics.factory)

let router = Router()
router.add(middleware: TelemetryMiddleware(instrumentation: instrumentation))
router.get("/api/v1/users/{id}") { _, context in
    "{\"id\":\"\(try context.parameters.require("id"))\"}"
}
router.post("/api/v1/login") { _, _ -> String in
    throw HTTPError(.unauthorized)
}

let application = Application(
    router: router,
    configuration: .init(address: .hostname(configuration.host, port: appPort)),
    logger: logger
)
let telemetry = TelemetryServer(configuration: configuration, health: health, metrics: metrics, logger: logger) { role, port in
    logger.info("telemetry endpoints listening", metadata: ["role": "\(role.rawValue)", "port": "\(port)"])
}
let group = ServiceGroup(
    services: [application, telemetry],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: logger
)
try await group.run()
