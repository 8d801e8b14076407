import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import TelemetryPipeline

@Suite("receivers over loopback HTTP", .serialized)
struct ReceiverTests {
    static let protobuf = ["Content-Type": "application/x-protobuf"]
    static let json = ["Content-Type": "application/json"]
    static let thrift = ["Content-Type": "application/x-thrift"]

    @Test("accepted spans reach the exporter; OTLP answers 200, Jaeger 202")
    func acceptsAndForwards() async throws {
        try await RunningDaemon.with { daemon in
            let otlp = try await TestHTTP.send(daemon.otlp, body: Array("spans:30;first:1".utf8), headers: Self.protobuf)
            #expect(otlp.status == 200)
            #expect(otlp.body.isEmpty)
            let jaeger = try await TestHTTP.send(
                daemon.jaeger, body: Array("spans:20;first:100".utf8), headers: ["Content-Type": "application/vnd.apache.thrift.binary"])
            #expect(jaeger.status == 202)
        }
    }

    @Test("partial success reports rejected spans in OTLP JSON")
    func partialSuccess() async throws {
        try await RunningDaemon.with { daemon in
            let reply = try await TestHTTP.send(daemon.otlp, body: Array("spans:3;reject:2".utf8), headers: Self.json)
            #expect(reply.status == 200)
            #expect(reply.body.contains("\"rejectedSpans\":\"2\""))
            #expect(reply.body.contains("no trace ID"))
        }
    }

    @Test("bad bodies get 400 with a reason, unknown types 415, oversized 413, and the server keeps serving")
    func rejectsBadRequests() async throws {
        try await RunningDaemon.with { daemon in
            let bad = try await TestHTTP.send(daemon.otlp, body: Array("garbage".utf8), headers: Self.json)
            #expect(bad.status == 400)
            #expect(bad.body.contains("cannot decode OTLP body"))
            let badThrift = try await TestHTTP.send(daemon.jaeger, body: [0x80, 0x01, 0x00], headers: Self.thrift)
            #expect(badThrift.status == 400)
            let unknownType = try await TestHTTP.send(daemon.otlp, body: Array("spans:1".utf8), headers: ["Content-Type": "text/plain"])
            #expect(unknownType.status == 415)
            let jaegerAsJSON = try await TestHTTP.send(daemon.jaeger, body: Array("spans:1".utf8), headers: Self.json)
            #expect(jaegerAsJSON.status == 415)
            let brotli = try await TestHTTP.send(
                daemon.otlp, body: Array("spans:1".utf8), headers: Self.json.merging(["Content-Encoding": "br"]) { $1 })
            #expect(brotli.status == 415)
            let oversized = try await TestHTTP.send(daemon.otlp, body: [UInt8](repeating: 0x41, count: 5000), headers: Self.protobuf)
            #expect(oversized.status == 413)
            let good = try await TestHTTP.send(daemon.otlp, body: Array("spans:5".utf8), headers: Self.protobuf)
            #expect(good.status == 200)
        }
    }

    @Test("gzip bodies are inflated; a corrupt gzip body gets 400")
    func gzipBodies() async throws {
        try await RunningDaemon.with { daemon in
            let gzip = Self.protobuf.merging(["Content-Encoding": "gzip"]) { $1 }
            let good = try await TestHTTP.send(daemon.otlp, body: GzipTests.fixed, headers: gzip)
            #expect(good.status == 200)
            var corrupt = GzipTests.fixed
            corrupt[12] ^= 0x55
            let bad = try await TestHTTP.send(daemon.otlp, body: corrupt, headers: gzip)
            #expect(bad.status == 400)
            #expect(bad.body.contains("gzip"))
        }
    }

    @Test("truncated, random and oversized bodies all get 4xx; valid requests in between still succeed")
    func fuzzBodies() async throws {
        var generator = SystemRandomNumberGenerator()
        try await RunningDaemon.with { daemon in
            for round in 0..<60 {
                let length = [0, 1, 7, 100, 4000, 4097, 9000][round % 7]
                var body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 5 == 0 { body = Array("spans:1".utf8.prefix(round % 6)) }  // truncated prefixes
                let target = round % 2 == 0 ? daemon.otlp : daemon.jaeger
                let headers = round % 2 == 0 ? Self.protobuf : Self.thrift
                let reply = try await TestHTTP.send(target, body: body, headers: headers)
                #expect((400..<500).contains(reply.status), "round \(round): \(length) bytes gave \(reply.status)")
                if round % 10 == 9 {
                    let good = try await TestHTTP.send(daemon.otlp, body: Array("spans:1".utf8), headers: Self.protobuf)
                    #expect(good.status == 200)
                }
            }
        }
    }

    @Test("graceful shutdown delivers every span accepted before it, through the batch processor")
    func gracefulShutdownLosesNothing() async throws {
        var exporter: CollectingExporter?
        var accepted = 0
        try await RunningDaemon.with { daemon in
            exporter = daemon.exporter
            for i in 0..<40 {
                let reply = try await TestHTTP.send(daemon.otlp, body: Array("spans:7;first:\(i * 7 + 1)".utf8), headers: Self.protobuf)
                if reply.status == 200 { accepted += 7 }
            }
        }
        #expect(accepted == 280)
        #expect(exporter?.count == accepted)
        #expect(exporter?.flushed.withLock { $0 } == true)
    }

    @Test("the memory limiter refuses with 503 and Retry-After before reading the body")
    func memoryLimiterRefuses() async throws {
        let registry = MetricRegistry()
        let metrics = SelfMetrics(registry: registry)
        let runner = PipelineRunner(name: "traces", capacity: 100, stages: [], exporters: [], clock: WallClock.system, metrics: metrics)
        let limiter = MemoryLimiter(configuration: .init(checkInterval: .seconds(3), limitMiB: 100), residentBytes: { 200 << 20 })
        let intake = SpanIntake(receiver: "otlp", pipelines: [runner], limiters: [limiter], metrics: metrics)
        let receiver = TraceReceiver(id: ComponentID("otlp"), format: .otlp, maxBodySize: 1000, decoders: FakeCodec.decoders, intake: intake)
        let reply = await receiver.handle(
            .init(
                head: .init(
                    method: .post, scheme: "http", authority: "x", path: "/v1/traces",
                    headerFields: [.contentType: "application/json"]), body: .init(buffer: .init(string: "spans:1"))))
        #expect(reply.status.code == 503)
        #expect(reply.headers[.retryAfter] == "3")
        #expect(runner.queue.count == 0)
    }

    @Test("a full pipeline queue refuses with 503 and counts the drop")
    func fullQueueRefuses() async throws {
        let registry = MetricRegistry()
        let metrics = SelfMetrics(registry: registry)
        let runner = PipelineRunner(name: "traces", capacity: 5, stages: [], exporters: [], clock: WallClock.system, metrics: metrics)
        let intake = SpanIntake(receiver: "otlp", pipelines: [runner], limiters: [], metrics: metrics)
        #expect(intake.deliverInMemory((0..<4).map { Spans.make(spanID: UInt64($0 + 1)) }) == .accepted)
        #expect(intake.deliverInMemory((0..<4).map { Spans.make(spanID: UInt64($0 + 1)) }) == .refused(retryAfter: 1, reason: "pipeline queue is full"))
        #expect(registry.lookup("pipeline_queue_dropped_spans_total")?.value(["pipeline/traces"]) == 4)
    }
}
