import HealthChecks
import Hummingbird
import Logging
import ServiceLifecycle
import TelemetryExporters
import TelemetryHTTPServer
import UnixSignals

let logger = Logger(label: "users")
// Spans go where OTEL_TRACES_EXPORTER, TRACING_ENDPOINT and OTEL_EXPORTER_OTLP_* say;
// by default over OTLP/HTTP to a local pipeline on port 4318.
let telemetry = try ServiceTelemetry.bootstrap(serviceName: "users")
telemetry.health.register(DatabaseHealthCheck { try await Task.sleep(for: .milliseconds(1)) })  // ping the database here

let router = Router()
// SERVER spans, http_requests_total / http_request_duration_seconds, active_connections, error_rate.
router.add(middleware: TelemetryMiddleware(instrumentation: telemetry.instrumentation))
router.get("/api/v1/users/{id}") { _, context in try context.parameters.require("id") }

let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 8000)), logger: logger)
// /health, /ready, /live, /database/status on HEALTH_PORT and /metrics on METRICS_PORT.
let group = ServiceGroup(services: [telemetry, app], gracefulShutdownSignals: [.sigterm], logger: logger)
try await group.run()
