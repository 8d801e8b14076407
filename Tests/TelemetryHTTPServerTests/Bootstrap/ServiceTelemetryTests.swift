import ErrorAggregation
import Logging
import ServiceLifecycle
import TelemetryCore
import TelemetryHTTPServer
import TelemetryMetrics
import TelemetryTesting
import TelemetryTracing
import Testing
import Tracing

@Suite struct ServiceTelemetryTests {
    /// The value of the one sample of `series` (name and labels as rendered) in `text`.
    func sample(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func readsEveryVariableFamilyIntoOneSetOfComponents() throws {
        let environment = [
            "OTEL_SERVICE_NAME": "checkout", "TRACING_SAMPLER": "0.5",
            "METRICS_PORT": "9191", "METRICS_PATH": "/prometheus", "HEALTH_PORT": "8181", "HEALTH_PATH": "/healthz",
        ]
        let telemetry = try ServiceTelemetry(serviceName: "fallback", environment: environment) { _ in InMemorySpanExporter() }
        #expect(telemetry.configuration.serviceName == "checkout", "OTEL_SERVICE_NAME wins over the name in code")
        #expect(telemetry.configuration.metrics.port == 9191 && telemetry.configuration.metrics.path == "/prometheus")
        #expect(telemetry.configuration.healthPort == 8181 && telemetry.configuration.healthPath == "/healthz")
        #expect(telemetry.tracer != nil)
        #expect(telemetry.instrumentation.service == "checkout")
        #expect(telemetry.services.count == 4, "tracing, the server, alert evaluation and the breaker reporter")
        #expect(telemetry.server.endpoints.metricsPath == "/prometheus")
    }

    /// One `ServiceTelemetry` in a group is the whole of a service's telemetry: at graceful
    /// shutdown its tracing exports a span still queued (the batch delay is a minute away).
    @Test(.timeLimit(.minutes(1))) func runsAsOneServiceAndExportsQueuedSpansAtShutdown() async throws {
        let exporter = InMemorySpanExporter()
        let environment = ["HEALTH_ENABLED": "false", "METRICS_ENABLED": "false", "OTEL_BSP_SCHEDULE_DELAY": "60000"]
        let telemetry = try ServiceTelemetry(serviceName: "checkout", environment: environment) { _ in exporter }
        let tracer = try #require(telemetry.tracer)
        let group = ServiceGroup(configuration: .init(services: [.init(service: telemetry)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tracer.startSpan("charge card").end()
            #expect(exporter.spans.isEmpty, "queued, not yet exported")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(exporter.spans.map(\.name) == ["charge card"])
    }

    /// A program that only traces asks for no endpoints in code; the variables still win.
    @Test func endpointsInCodeAreDefaultsTheEnvironmentOverrides() throws {
        let tracingOnly = try ServiceTelemetry(serviceName: "batch-job", endpoints: .withoutEndpoints, environment: [:]) { _ in
            InMemorySpanExporter()
        }
        #expect(!tracingOnly.configuration.healthEnabled && !tracingOnly.configuration.metrics.enabled)
        #expect(tracingOnly.tracer != nil)
        let reopened = try ServiceTelemetry(
            serviceName: "batch-job", endpoints: .withoutEndpoints, environment: ["HEALTH_ENABLED": "true", "HEALTH_PORT": "8181"]
        ) { _ in InMemorySpanExporter() }
        #expect(reopened.configuration.healthEnabled && reopened.configuration.healthPort == 8181)
        #expect(!reopened.configuration.metrics.enabled)
        var custom = TelemetryServer.Configuration.default
        custom.metrics.port = 9300
        let withPort = try ServiceTelemetry(endpoints: custom, environment: [:]) { _ in InMemorySpanExporter() }
        #expect(withPort.configuration.metrics.port == 9300 && withPort.configuration.healthPort == 8080)
    }

    @Test func theNameInCodeAppliesWithoutOTELServiceName() throws {
        let telemetry = try ServiceTelemetry(serviceName: "inventory", environment: [:]) { _ in InMemorySpanExporter() }
        #expect(telemetry.configuration.serviceName == "inventory")
        #expect(telemetry.instrumentation.service == "inventory")
    }

    @Test func disabledTracingLeavesNoTracer() throws {
        let telemetry = try ServiceTelemetry(environment: ["TRACING_ENABLED": "false"]) { _ in InMemorySpanExporter() }
        #expect(telemetry.tracer == nil)
    }

    @Test func malformedVariablesAreNamed() {
        #expect(throws: ConfigurationError.malformed("METRICS_PORT", "http", expected: EnvironmentReader.Expected.port)) {
            try ServiceTelemetry(environment: ["METRICS_PORT": "http"]) { _ in InMemorySpanExporter() }
        }
        #expect(throws: (any Error).self) {
            try ServiceTelemetry(environment: ["TRACING_SAMPLER": "often"]) { _ in InMemorySpanExporter() }
        }
    }

    @Test func errorRateFollowsTheSlidingWindowAtScrapeTime() throws {
        let clock = TestClock()
        let telemetry = try ServiceTelemetry(environment: ["OTEL_SERVICE_NAME": "auth"], clock: clock) { _ in InMemorySpanExporter() }
        let errors = telemetry.errors
        for _ in 0..<4 { errors.recordRequest(service: "auth") }
        errors.record(service: "auth", type: .authentication, message: "bad token")
        let series = #"error_rate{service="auth",type="authentication"}"#
        func scrape() -> Double? { sample(series, in: String(decoding: telemetry.metrics.exposition(), as: UTF8.self)) }
        #expect(scrape() == 0.25)

        // Successful requests after the error lower the rate without a new error being recorded.
        for _ in 0..<4 { errors.recordRequest(service: "auth") }
        #expect(scrape() == 0.125)

        // Once the window has slid past the error, the scrape reads 0, not the stale 0.125.
        clock.advance(by: .seconds(6 * 60))
        #expect(scrape() == 0)
    }
}
