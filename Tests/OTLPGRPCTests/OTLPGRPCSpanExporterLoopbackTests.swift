import GRPCCore
import GRPCProtobuf
import MetricsTestKit
import TelemetryCore
import TelemetryHTTPExport
import TelemetryTesting
import Testing

@testable import OTLPGRPC

/// The exporter against a real grpc-swift server on loopback.
@Suite(.timeLimit(.minutes(1))) struct OTLPGRPCSpanExporterLoopbackTests {
    static let spans = [SpanFixtures.full, SpanFixtures.root]

    static func exporter(
        port: Int, compression: HTTPSpanDelivery.Compression = .none, headers: [(name: String, value: String)] = [],
        clock: ImmediateClock = ImmediateClock(), metrics: TestMetrics = TestMetrics()
    ) throws -> OTLPGRPCSpanExporter {
        let configuration = OTLPGRPCSpanExporter.Configuration(
            endpoint: OTLPGRPCEndpoint(host: "127.0.0.1", port: port), headers: headers, compression: compression,
            timeout: .seconds(10))
        // Jitter 1 makes a computed backoff its full value, so waits are exact.
        return try OTLPGRPCSpanExporter(configuration: configuration, metricsFactory: metrics, clock: clock, jitter: { 1 })
    }

    static func unavailable(retryAfter delay: Duration) -> RPCError {
        RPCError(OTLPGRPC.throttled("busy", retryAfter: delay))
    }

    @Test(arguments: [HTTPSpanDelivery.Compression.none, .gzip])
    func spansArriveFieldForField(compression: HTTPSpanDelivery.Compression) async throws {
        let service = TestTraceService()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, compression: compression)
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        let calls = service.accepted
        try #require(calls.count == 1)
        #expect(calls[0].spans == Self.spans)
        let encoding = Array(calls[0].metadata[stringValues: "grpc-encoding"])
        #expect(encoding == (compression == .gzip ? ["gzip"] : []))
    }

    @Test func headersAreSentAsMetadata() async throws {
        let service = TestTraceService()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, headers: [("X-Api-Key", "s3cret"), ("tenant", "a b")])
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        let metadata = try #require(service.accepted.first).metadata
        #expect(Array(metadata[stringValues: "x-api-key"]) == ["s3cret"])
        #expect(Array(metadata[stringValues: "tenant"]) == ["a b"])
    }

    @Test func unavailableIsRetriedAfterTheRetryInfoDelay() async throws {
        let service = TestTraceService(failures: [Self.unavailable(retryAfter: .seconds(7)), Self.unavailable(retryAfter: .milliseconds(1500))])
        let clock = ImmediateClock()
        let metrics = TestMetrics()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, clock: clock, metrics: metrics)
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        #expect(service.calls == 3)
        #expect(service.accepted.first?.spans == Self.spans)
        #expect(clock.sleeps == [.seconds(7), .milliseconds(1500)])
        let label = [("exporter", "otlp_grpc")]
        #expect(metrics.counterTotal(label: "telemetry_exporter_retries_total", dimensions: label) == 2)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_exported_total", dimensions: label) == 2)
    }

    @Test func shutdownWhileARetryWaitsCountsTheSpansAsShutdownNotRejected() async throws {
        let service = TestTraceService(failures: [Self.unavailable(retryAfter: .seconds(5))])
        let clock = ImmediateClock()
        let metrics = TestMetrics()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, clock: clock, metrics: metrics)
            clock.whileSleeping { await exporter.shutdown() }
            let error = await #expect(throws: GRPCExportError.self) { try await exporter.export(Self.spans) }
            #expect(error?.isShutdown == true)
            #expect(error?.isPermanent == false)
        }
        #expect(service.calls == 1)
        let dropped = metrics.counterTotal(
            label: "telemetry_exporter_spans_dropped_total", dimensions: [("exporter", "otlp_grpc"), ("reason", "shutdown")])
        #expect(dropped == 2)
    }

    @Test func unavailableWithoutRetryInfoBacksOff() async throws {
        let service = TestTraceService(failures: [RPCError(code: .unavailable, message: "down")])
        let clock = ImmediateClock()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, clock: clock)
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        #expect(service.calls == 2)
        #expect(clock.sleeps == [RetryPolicy.default.initialBackoff])
    }

    @Test func resourceExhaustedWithRetryInfoIsRetried() async throws {
        let throttled = RPCError(GoogleRPCStatus(code: .resourceExhausted, message: "slow down", details: [.retryInfo(delay: .seconds(2))]))
        let service = TestTraceService(failures: [throttled])
        let clock = ImmediateClock()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, clock: clock)
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        #expect(service.calls == 2)
        #expect(clock.sleeps == [.seconds(2)])
    }

    @Test(arguments: [
        RPCError(code: .resourceExhausted, message: "quota, no RetryInfo"),
        RPCError(code: .invalidArgument, message: "bad span"),
        RPCError(code: .permissionDenied, message: "no"),
    ])
    func permanentStatusesAreNotRetried(failure: RPCError) async throws {
        let service = TestTraceService(failures: [failure])
        let clock = ImmediateClock()
        let metrics = TestMetrics()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, clock: clock, metrics: metrics)
            await #expect(throws: GRPCExportError.rejected) { try await exporter.export(Self.spans) }
            await exporter.shutdown()
        }
        #expect(service.calls == 1)
        #expect(clock.sleeps.isEmpty)
        let rejected = [("exporter", "otlp_grpc"), ("reason", "rejected")]
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_dropped_total", dimensions: rejected) == 2)
        #expect(metrics.counterTotal(label: "telemetry_exporter_failures_total", dimensions: [("exporter", "otlp_grpc")]) == 1)
    }

    @Test func exhaustedRetriesCarryTheServersLastDelay() async throws {
        let service = TestTraceService(failures: [Self.unavailable(retryAfter: .seconds(4))])
        let clock = ImmediateClock()
        try await withTestServer(service) { port in
            var configuration = OTLPGRPCSpanExporter.Configuration(endpoint: OTLPGRPCEndpoint(host: "127.0.0.1", port: port))
            configuration.retryPolicy = .none
            let exporter = try OTLPGRPCSpanExporter(configuration: configuration, metricsFactory: TestMetrics(), clock: clock)
            let error = await #expect(throws: GRPCExportError.retriesExhausted) { try await exporter.export(Self.spans) }
            #expect(error?.retryAfter == .seconds(4))
            #expect(error?.isPermanent == false)
            await exporter.shutdown()
        }
        #expect(service.calls == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func oneAttemptReportsItsClassifiedOutcome() async throws {
        let service = TestTraceService(failures: [Self.unavailable(retryAfter: .seconds(3)), RPCError(code: .invalidArgument, message: "bad")])
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port)
            guard case .retryable(let after, _) = await exporter.attemptExport(Self.spans) else {
                Issue.record("UNAVAILABLE should be retryable")
                return
            }
            #expect(after == .seconds(3))
            guard case .permanent = await exporter.attemptExport(Self.spans) else {
                Issue.record("INVALID_ARGUMENT should be permanent")
                return
            }
            #expect(await exporter.attemptExport(Self.spans) == .accepted)
            await exporter.shutdown()
        }
        #expect(service.calls == 3)
    }

    @Test func partialSuccessCountsTheRejectedSpans() async throws {
        let service = TestTraceService(partialSuccess: (rejected: 1, message: "span too old"))
        let metrics = TestMetrics()
        try await withTestServer(service) { port in
            let exporter = try Self.exporter(port: port, metrics: metrics)
            try await exporter.export(Self.spans)
            await exporter.shutdown()
        }
        let partial = [("exporter", "otlp_grpc"), ("reason", "partial_success")]
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_dropped_total", dimensions: partial) == 1)
        #expect(metrics.counterTotal(label: "telemetry_exporter_spans_exported_total", dimensions: [("exporter", "otlp_grpc")]) == 2)
    }

    @Test func anExporterThatIsShutDownRefusesBatches() async throws {
        let exporter = try Self.exporter(port: 1)
        await exporter.shutdown()
        await #expect(throws: GRPCExportError.shutdown) { try await exporter.export(Self.spans) }
    }
}
