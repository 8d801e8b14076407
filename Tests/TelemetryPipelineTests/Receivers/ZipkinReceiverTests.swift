import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import TelemetryCore
import Testing

@testable import TelemetryPipeline

/// The `zipkin` receiver over loopback with the real decoders.
@Suite("zipkin receiver over loopback HTTP", .serialized)
struct ZipkinReceiverTests {
    static let yaml = """
        receivers:
          zipkin: {endpoint: "127.0.0.1:0", max_request_body_size: 4096}
        processors:
          batch: {send_batch_size: 50, timeout: 50ms}
        exporters:
          debug: {}
        service:
          pipelines:
            traces: {receivers: [zipkin], processors: [batch], exporters: [debug]}
          monitoring: {endpoint: "127.0.0.1:0"}
        """
    static let json = ["Content-Type": "application/json"]

    static func run(_ body: (RunningDaemon) async throws -> Void) async throws {
        try await RunningDaemon.with(yaml: yaml, decoders: .standard, listeners: 2, body)
    }

    static let twoSpans = Array(
        #"""
        [{"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"a2fb4a1d1a96d312","kind":"SERVER","name":"GET /internal",
          "timestamp":1556604172355737,"duration":1431,"localEndpoint":{"serviceName":"user-service"},
          "tags":{"http.response.status_code":"500","otel.status_code":"ERROR","error":"HTTP 500"}},
         {"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"0000000000000003","parentId":"a2fb4a1d1a96d312","name":"query",
          "timestamp":1556604172355800,"duration":100,"localEndpoint":{"serviceName":"user-service"}}]
        """#.utf8)

    @Test("Zipkin JSON is answered 202 and its spans reach the exporter, mapped")
    func acceptsAndForwards() async throws {
        var exporter: CollectingExporter?
        try await Self.run { daemon in
            exporter = daemon.exporter
            let reply = try await TestHTTP.send(daemon.zipkin, body: Self.twoSpans, headers: Self.json)
            #expect(reply.status == 202)
            #expect(reply.body.isEmpty)
        }
        let spans = try #require(exporter?.spans.withLock { $0 }.sorted { $0.startTimeNanos < $1.startTimeNanos })
        #expect(spans.count == 2)
        #expect(spans.first?.resource.serviceName == "user-service")
        #expect(spans.first?.kind == .server)
        #expect(spans.first?.status == .error(description: "HTTP 500"))
        #expect(spans.last?.kind == .internal)
        #expect(spans.last?.parentSpanID == spans.first?.spanID)
    }

    @Test("proto3 bodies and gzip bodies are accepted; a corrupt gzip body gets 400")
    func protobufAndGzip() async throws {
        var exporter: CollectingExporter?
        try await Self.run { daemon in
            exporter = daemon.exporter
            // ListOfSpans { spans { trace_id: 8 bytes, id: 8 bytes, name: "pb" } }
            let protobuf: [UInt8] = [0x0A, 0x18, 0x0A, 0x08, 0, 0, 0, 0, 0, 0, 0, 9, 0x1A, 0x08, 0, 0, 0, 0, 0, 0, 0, 7, 0x2A, 0x02, 0x70, 0x62]
            let pb = try await TestHTTP.send(daemon.zipkin, body: protobuf, headers: ["Content-Type": "application/x-protobuf"])
            #expect(pb.status == 202)
            let gzip = Self.json.merging(["Content-Encoding": "gzip"]) { $1 }
            let zipped = try await TestHTTP.send(daemon.zipkin, body: Self.gzipped, headers: gzip)
            #expect(zipped.status == 202)
            var corrupt = Self.gzipped
            corrupt[12] ^= 0x55
            let bad = try await TestHTTP.send(daemon.zipkin, body: corrupt, headers: gzip)
            #expect(bad.status == 400)
            #expect(bad.body.contains("gzip"))
        }
        let names = Set(exporter?.spans.withLock { $0.map(\.name) } ?? [])
        #expect(names == ["pb", "gz"])
    }

    @Test("bad bodies get 400 with a reason, other content types 415, oversized 413; the receiver keeps serving")
    func rejectsBadRequests() async throws {
        try await Self.run { daemon in
            let object = try await TestHTTP.send(daemon.zipkin, body: Array("{}".utf8), headers: Self.json)
            #expect(object.status == 400)
            #expect(object.body.contains("cannot decode Zipkin body"))
            #expect(object.body.contains("not an array"))
            #expect(object.headers["content-type"]?.hasPrefix("text/plain") == true)
            let wrongType = try await TestHTTP.send(
                daemon.zipkin, body: Array(#"[{"traceId":"1","id":"2","tags":{"http.status_code":500}}]"#.utf8), headers: Self.json)
            #expect(wrongType.status == 400)
            #expect(wrongType.body.contains("tags.http.status_code must be a string"))
            let badID = try await TestHTTP.send(daemon.zipkin, body: Array(#"[{"traceId":"xyz","id":"2"}]"#.utf8), headers: Self.json)
            #expect(badID.status == 400)
            #expect(badID.body.contains("traceId"))
            let badProto = try await TestHTTP.send(daemon.zipkin, body: [0x0A, 0x05, 0x01], headers: ["Content-Type": "application/x-protobuf"])
            #expect(badProto.status == 400)
            let thrift = try await TestHTTP.send(daemon.zipkin, body: Self.twoSpans, headers: ["Content-Type": "application/x-thrift"])
            #expect(thrift.status == 415)
            #expect(thrift.body.contains("application/json or application/x-protobuf"))
            let form = try await TestHTTP.send(daemon.zipkin, body: Self.twoSpans)
            #expect(form.status == 415)
            let oversized = try await TestHTTP.send(
                daemon.zipkin, body: Array(("[" + String(repeating: " ", count: 5000) + "]").utf8), headers: Self.json)
            #expect(oversized.status == 413)
            let empty = try await TestHTTP.send(daemon.zipkin, body: Array("[]".utf8), headers: Self.json)
            #expect(empty.status == 202)
            let good = try await TestHTTP.send(daemon.zipkin, body: Self.twoSpans, headers: Self.json)
            #expect(good.status == 202)
        }
    }

    @Test("under memory pressure the receiver answers 503 with Retry-After before reading the body")
    func memoryLimiterRefuses() async throws {
        let registry = MetricRegistry()
        let metrics = SelfMetrics(registry: registry)
        let runner = PipelineRunner(name: "traces", capacity: 100, stages: [], exporters: [], clock: WallClock.system, metrics: metrics)
        let limiter = MemoryLimiter(configuration: .init(checkInterval: .seconds(2), limitMiB: 100), residentBytes: { 200 << 20 })
        let intake = SpanIntake(receiver: "zipkin", pipelines: [runner], limiters: [limiter], metrics: metrics)
        let receiver = TraceReceiver(id: ComponentID("zipkin"), format: .zipkin, maxBodySize: 1000, decoders: .standard, intake: intake)
        let reply = await receiver.handle(
            .init(
                head: .init(
                    method: .post, scheme: "http", authority: "x", path: "/api/v2/spans",
                    headerFields: [.contentType: "application/json"]), body: .init(buffer: .init(string: "{}"))))
        // An undecodable body: 503 rather than 400 proves admission is decided before decoding.
        #expect(reply.status.code == 503)
        #expect(reply.headers[.retryAfter] == "2")
        #expect(runner.queue.count == 0)
    }

    /// Python's `gzip.compress(b'[{"traceId":"0000000000000001","id":"0000000000000002","name":"gz",'
    /// b'"localEndpoint":{"serviceName":"gz-service"}}]', mtime=0)`.
    static let gzipped = GzipTests.bytes(
        hex: "1f8b08000000000002038bae562a294a4c4ef54c51b252324005864a3a4a9958c48d80e27989b9a94099f42a20"
            + "3b273f3931c7352fa5203f33af44c9aa5aa938b5a82c3339d50fa646172aa0545b1b0b001dddc34c71000000")
}
