import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import OTLPExporter
import OTLPGRPC
import OTLPProtobufReference
import SwiftProtobuf
import Synchronization
import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("OTLP/gRPC receiver over loopback", .serialized, .timeLimit(.minutes(2)))
struct GRPCReceiverTests {
    typealias ExportRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias ExportResponse = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse

    static func request(spans: Int, first: UInt64 = 1) throws -> ExportRequest {
        let spans = (0..<UInt64(spans)).map { Spans.make(traceLow: first + $0, spanID: first + $0) }
        return try ExportRequest(serializedBytes: OTLPTraceEncoder.encodeProtobuf(spans))
    }

    /// The same request as protobuf bytes, for the raw-bytes client.
    static func bytes(spans: Int, first: UInt64 = 1) -> [UInt8] {
        OTLPTraceEncoder.encodeProtobuf((0..<UInt64(spans)).map { Spans.make(traceLow: first + $0, spanID: first + $0) })
    }

    @Test("the generated client's spans arrive, plain and gzip-compressed, with an empty response")
    func spansArrive() async throws {
        try await GRPCReceiverHarness.with { harness in
            let client = Opentelemetry_Proto_Collector_Trace_V1_TraceService.Client(wrapping: harness.client)
            let plain = try await client.export(try Self.request(spans: 5))
            #expect(plain == ExportResponse())
            var gzip = CallOptions.defaults
            gzip.compression = .gzip
            let compressed = try await client.export(try Self.request(spans: 7, first: 100), options: gzip)
            #expect(compressed == ExportResponse())
            #expect(harness.queued == 12)
            #expect(harness.registry.lookup("pipeline_receiver_accepted_spans_total")?.value(["otlp"]) == 12)
            #expect(harness.registry.lookup("pipeline_receiver_grpc_requests_total")?.value(["otlp", "OK"]) == 2)
        }
    }

    @Test("spans with invalid trace IDs are rejected by partial success; the valid ones are accepted")
    func partialSuccess() async throws {
        try await GRPCReceiverHarness.with { harness in
            var request = try Self.request(spans: 3)
            request.resourceSpans[0].scopeSpans[0].spans[1].traceID = Data([1, 2, 3])
            request.resourceSpans[0].scopeSpans[0].spans[2].traceID = Data(count: 16)  // all zero: invalid too
            let client = Opentelemetry_Proto_Collector_Trace_V1_TraceService.Client(wrapping: harness.client)
            let response = try await client.export(request)
            #expect(response.partialSuccess.rejectedSpans == 2)
            #expect(!response.partialSuccess.errorMessage.isEmpty)
            #expect(harness.queued == 1)
            #expect(harness.registry.lookup("pipeline_receiver_refused_spans_total")?.value(["otlp", "invalid_span"]) == 2)
        }
    }

    @Test("undecodable bytes get INVALID_ARGUMENT with a reason, and the receiver keeps serving")
    func garbage() async throws {
        try await GRPCReceiverHarness.with { harness in
            for garbage: [UInt8] in [[0xFF, 0xFF, 0xFF], [0x0A, 0x50, 0x01], Array("not protobuf at all".utf8)] {
                let error = await harness.exportError(garbage)
                #expect(error?.code == .invalidArgument, "\(garbage)")
                #expect(error?.message.contains("cannot decode ExportTraceServiceRequest") == true)
                #expect(error.flatMap(OTLPGRPC.retryDelay(of:)) == nil)
            }
            #expect(harness.registry.lookup("pipeline_receiver_grpc_requests_total")?.value(["otlp", "INVALID_ARGUMENT"]) == 3)
            let reply = try await harness.export(Self.bytes(spans: 2))
            #expect(reply.isEmpty)
            #expect(harness.queued == 2)
        }
    }

    @Test("an unknown method or service gets UNIMPLEMENTED, and the receiver keeps serving")
    func wrongMethod() async throws {
        try await GRPCReceiverHarness.with { harness in
            let request: [UInt8] = Self.bytes(spans: 1)
            let methods = [
                MethodDescriptor(
                    service: ServiceDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService"), method: "Upload"),
                MethodDescriptor(
                    service: ServiceDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.metrics.v1.MetricsService"), method: "Export"),
            ]
            for method in methods {
                #expect(await harness.exportError(request, method: method)?.code == .unimplemented, "\(method)")
            }
            #expect(harness.queued == 0)
            let reply = try await harness.export(request)
            #expect(reply.isEmpty)
            #expect(harness.queued == 1)
        }
    }

    @Test("a message over the size limit gets RESOURCE_EXHAUSTED, compressed or not; far larger ones are reset; serving goes on")
    func oversized() async throws {
        let big = Self.bytes(spans: 500)
        // The limit sits below the message, and twice the limit (the transport's) above it.
        try await GRPCReceiverHarness.with(maxMessageBytes: big.count * 2 / 3) { harness in
            let plain = await harness.exportError(big)
            #expect(plain?.code == .resourceExhausted, "\(String(describing: plain))")
            #expect(plain?.message.contains("exceeds the limit") == true)
            // Spans compress well: the wire message is small but inflates past the limit.
            let inflated = await harness.exportError(big, compression: .gzip)
            #expect(inflated?.code == .resourceExhausted, "\(String(describing: inflated))")
            // Past the transport's bound grpc-swift resets the stream instead of answering.
            let huge = await harness.exportError(Self.bytes(spans: 1_500))
            #expect(huge != nil)
            #expect(harness.queued == 0)
            let reply = try await harness.export(Self.bytes(spans: 3))
            #expect(reply.isEmpty)
            #expect(harness.queued == 3)
        }
    }

    @Test("a full queue answers UNAVAILABLE with RetryInfo in grpc-status-details-bin; room lets requests in again")
    func fullQueue() async throws {
        try await GRPCReceiverHarness.with(queueCapacity: 5) { harness in
            let reply = try await harness.export(Self.bytes(spans: 4))
            #expect(reply.isEmpty)
            let error = try #require(await harness.exportError(Self.bytes(spans: 4, first: 10)))
            #expect(error.code == .unavailable)
            #expect(error.message == "pipeline queue is full")
            #expect(error.metadata[binaryValues: "grpc-status-details-bin"].contains { !$0.isEmpty })
            #expect(OTLPGRPC.retryDelay(of: error) == .seconds(1))
            #expect(OTLPGRPC.isRetryable(error.code, hasRetryInfo: true))
            #expect(harness.registry.lookup("pipeline_receiver_refused_spans_total")?.value(["otlp", "queue_full"]) == 4)
            #expect(harness.registry.lookup("pipeline_receiver_grpc_requests_total")?.value(["otlp", "UNAVAILABLE"]) == 1)
            _ = await harness.runner.queue.take(waitingAtMost: .seconds(5))
            let retried = try await harness.export(Self.bytes(spans: 4, first: 10))
            #expect(retried.isEmpty)
        }
    }

    @Test("the memory limiter answers UNAVAILABLE with its check interval as RetryInfo, then lets requests in once memory drops")
    func memoryLimiter() async throws {
        try await GRPCReceiverHarness.with { harness in
            harness.limiterInput.residentBytes.withLock { $0 = 200 << 20 }
            let error = try #require(await harness.exportError(Self.bytes(spans: 2)))
            #expect(error.code == .unavailable)
            #expect(OTLPGRPC.retryDelay(of: error) == .seconds(3))
            #expect(harness.queued == 0)
            harness.limiterInput.residentBytes.withLock { $0 = 10 << 20 }
            harness.limiterInput.now.withLock { $0 += 4_000_000_000 }
            let reply = try await harness.export(Self.bytes(spans: 2))
            #expect(reply.isEmpty)
            #expect(harness.queued == 2)
        }
    }

    @Test("the daemon runs the gRPC receiver from YAML beside OTLP/HTTP, into the same pipeline and exporter")
    func daemonWiring() async throws {
        let yaml = RunningDaemon.yaml.replacingOccurrences(
            of: "otlp: {protocols: {http: {endpoint: \"127.0.0.1:0\", max_request_body_size: 4096}}}",
            with: "otlp: {protocols: {http: {endpoint: \"127.0.0.1:0\", max_request_body_size: 4096}, grpc: {endpoint: \"127.0.0.1:0\"}}}")
        #expect(yaml != RunningDaemon.yaml)
        try await RunningDaemon.with(yaml: yaml) { running in
            var bound: String?
            for _ in 0..<250 where bound == nil {
                bound = running.daemon.listening["receiver otlp (grpc)"]
                if bound == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            let port = try #require(bound.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } })
            let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            try await withGRPCClient(transport: transport) { client in
                // The daemon under test decodes FakeCodec's text batches, whatever the transport.
                let response = try await client.unary(
                    request: ClientRequest(message: Array("spans:3;first:40".utf8)), descriptor: OTLPGRPC.traceExport,
                    serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer(), options: .defaults
                ) { try $0.message }
                #expect(response == [])
            }
            for _ in 0..<250 where running.exporter.count < 3 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(running.exporter.count == 3)
        }
    }
}
