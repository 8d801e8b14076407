import Logging
import Synchronization
import TelemetryCore
import TelemetryTesting
import Testing
import Tracing

@testable import TelemetryTracing

@Suite struct TelemetryBootstrapTests {
    @Test func buildsTracerFromEnvironment() async throws {
        let exporter = InMemorySpanExporter()
        let seen = Mutex<TelemetryBootstrap.ExporterContext?>(nil)
        let environment = try TelemetryEnvironment([
            "OTEL_SERVICE_NAME": "checkout", "TRACING_SAMPLER": "1", "TRACING_ENDPOINT": "http://127.0.0.1:14268/api/traces",
        ])
        let components = try TelemetryBootstrap.makeComponents(
            configuration: .init(serviceName: "ignored", serviceVersion: "2.0.0"),
            environment: environment
        ) { context in
            seen.withLock { $0 = context }
            return exporter
        }
        let tracer = try #require(components.tracer)
        #expect(components.processor is BatchSpanProcessor)
        #expect(seen.withLock { $0?.environment.tracingEndpoint } == "http://127.0.0.1:14268/api/traces")
        tracer.withSpan("op") { _ in }
        try await components.processor?.forceFlush()
        let span = try #require(exporter.spans.first)
        #expect(span.resource.serviceName == "checkout")
        #expect(span.resource.serviceVersion == "2.0.0")
        #expect(span.traceState["ot"] == "th:0")
    }

    @Test func zeroRatioSamplesNothing() async throws {
        let exporter = InMemorySpanExporter()
        let components = try TelemetryBootstrap.makeComponents(
            configuration: .init(batching: false),
            environment: try TelemetryEnvironment(["TRACING_SAMPLER": "0"])
        ) { _ in exporter }
        let tracer = try #require(components.tracer)
        #expect(components.processor is SimpleSpanProcessor)
        let span = tracer.startSpan("dropped", context: .topLevel)
        #expect(!span.isRecording)
    }

    @Test(arguments: [["TRACING_ENABLED": "false"], ["OTEL_SDK_DISABLED": "true"]])
    func disabledBuildsNoTracer(_ variables: [String: String]) throws {
        let components = try TelemetryBootstrap.makeComponents(environment: try TelemetryEnvironment(variables)) { _ in
            Issue.record("the exporter must not be built when tracing is off")
            return InMemorySpanExporter()
        }
        #expect(components.tracer == nil)
        #expect(components.processor == nil)
    }

    @Test func exporterFactoryErrorsPropagate() {
        struct NoEndpoint: Error {}
        #expect(throws: NoEndpoint.self) {
            try TelemetryBootstrap.makeComponents(environment: try TelemetryEnvironment([:])) { _ in throw NoEndpoint() }
        }
    }
}

@Suite struct LoggingMetadataTests {
    @Test func metadataProviderExposesCurrentIDs() throws {
        let (tracer, _) = TelemetryTracer.forTesting()
        let outside = Logger.MetadataProvider.telemetry.get()
        #expect(outside.isEmpty)
        let (metadata, spanContext) = tracer.withSpan("logged") { span in
            (Logger.MetadataProvider.telemetry.get(), span.spanContext)
        }
        #expect(metadata["trace_id"] == .string(try #require(spanContext).traceID.hexString))
        #expect(metadata["span_id"] == .string(try #require(spanContext).spanID.hexString))
    }
}

@Suite struct ConsoleSpanExporterTests {
    @Test func writesOneLinePerSpan() async throws {
        let lines = Mutex<[String]>([])
        let exporter = ConsoleSpanExporter { line in lines.withLock { $0.append(line) } }
        var span = makeSpan(0)
        span.attributes["http.method"] = "GET"
        span.status = .error(description: "timeout")
        try await exporter.export([span, makeSpan(1)])
        let written = lines.withLock { $0 }
        #expect(written.count == 2)
        #expect(written[0].hasPrefix("span-0 trace=00000000000000010000000000000001 span=0000000000000001"))
        #expect(written[0].contains("status=ERROR(timeout)"))
        #expect(written[0].contains("{http.method=GET}"))
    }
}
