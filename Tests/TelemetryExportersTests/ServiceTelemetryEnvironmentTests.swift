import TelemetryCore
import TelemetryExporters
import TelemetryHTTPServer
import Testing

/// A service's telemetry built without an exporter in code takes the one its environment names.
@Suite struct ServiceTelemetryEnvironmentTests {
    static let quiet = ["METRICS_ENABLED": "false", "HEALTH_ENABLED": "false"]

    @Test func theEnvironmentsExporterIsUsedAndAMalformedOneIsNamed() throws {
        let traced = try ServiceTelemetry(serviceName: "users", environment: Self.quiet.merging(["OTEL_TRACES_EXPORTER": "none"]) { $1 })
        #expect(traced.tracer != nil)
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceTelemetry(serviceName: "users", environment: Self.quiet.merging(["OTEL_TRACES_EXPORTER": "zipkin"]) { $1 })
        }
        #expect(error?.description.contains("OTEL_TRACES_EXPORTER") == true)
        #expect(error?.description.contains("zipkin") == true)
    }

    @Test func disabledTracingBuildsNoExporter() throws {
        // The malformed exporter variable is never read when tracing is off.
        let environment = Self.quiet.merging(["TRACING_ENABLED": "false", "OTEL_TRACES_EXPORTER": "zipkin"]) { $1 }
        #expect(try ServiceTelemetry(serviceName: "users", environment: environment).tracer == nil)
    }
}
