import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import TelemetryHTTPExport
import Testing

@testable import TelemetryPipeline

/// The exporter against a real HTTP receiver on loopback that answers from a script.
// Bounded: every wait polls a limited number of times, and the limit cancels the rest.
@Suite(.timeLimit(.minutes(1))) struct RemoteWriteExporterTests {
    struct Received: Sendable {
        var headers: [String: String]
        var series: Int
    }

    /// Answers each POST with the next scripted status (200 once the script runs out),
    /// decoding the snappy body as a receiver would.
    final class Receiver: Sendable {
        let script: Mutex<[(status: Int, headers: [String: String])]>
        let received = Mutex<[Received]>([])
        let port = Mutex<Int?>(nil)

        init(_ script: [(status: Int, headers: [String: String])]) { self.script = Mutex(script) }

        var requests: [Received] { received.withLock { $0 } }

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/api/v1/write") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let block = Array(buffer: body)
                let decoded = try Snappy.decompress(block, limit: 1 << 24)
                let series = try WriteRequestReader(decoded).series.count
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
                self.received.withLock { $0.append(Received(headers: headers, series: series)) }
                let answer = self.script.withLock { $0.isEmpty ? (status: 200, headers: [:]) : $0.removeFirst() }
                var fields = HTTPFields()
                for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
                return Response(
                    status: .init(code: answer.status), headers: fields,
                    body: .init(byteBuffer: ByteBuffer(string: answer.status == 400 ? "out of bounds sample" : "")))
            }
            var quiet = Logger(label: "test")
            quiet.logLevel = .warning
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in self.port.withLock { $0 = channel.localAddress?.port } }, logger: quiet)
        }
    }

    /// The waits the exporter asked for between attempts, recorded instead of slept.
    final class Waits: Sendable {
        private let recorded = Mutex<[Duration]>([])
        var all: [Duration] { recorded.withLock { $0 } }
        func append(_ wait: Duration) { recorded.withLock { $0.append(wait) } }
    }

    /// Runs `body` with the receiver serving and an exporter sending to it.
    static func withExporter(
        _ receiver: Receiver, configure: (inout RemoteWriteSettings) -> Void = { _ in }, sleeps: Bool = false,
        _ body: (RemoteWriteExporter, MetricRegistry, Waits) async throws -> Void
    ) async throws {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [receiver.application()], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port: Int?
            for _ in 0..<500 where port == nil {
                try await Task.sleep(for: .milliseconds(10))
                port = receiver.port.withLock { $0 }
            }
            var settings = RemoteWriteSettings(endpoint: "http://127.0.0.1:\(try #require(port))/api/v1/write")
            settings.retry.initialInterval = .milliseconds(10)
            settings.headers = ["X-Scope-OrgID": "tenant-1"]
            configure(&settings)
            let registry = MetricRegistry()
            registry.counter("calls_total", help: "Calls.", labels: ["service_name"]).add(7, ["cart"])
            let waits = Waits()
            let exporter = RemoteWriteExporter(
                name: "prometheusremotewrite", settings: settings, registry: registry,
                labels: RemoteWriteExporter.labels(settings: settings, job: "gw", instance: "test:1"),
                retrySleep: { wait in
                    waits.append(wait)
                    if sleeps { try await Task.sleep(for: wait) }
                }, logger: quiet)
            try await body(exporter, registry, waits)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func body(_ registry: MetricRegistry) -> RemoteWriteRequest.Body {
        let snapshot = RemoteWriteSnapshot(registry.collect(), labels: [], timestamp: 1)
        return RemoteWriteRequest.bodies(series: snapshot.series, metadata: snapshot.metadata, maxBytes: 1 << 20)[0]
    }

    static func value(_ registry: MetricRegistry, _ name: String, _ labels: [String]) -> Double? {
        registry.lookup(name)?.value(labels)
    }

    @Test func serverErrorsAreRetriedUntilAccepted() async throws {
        let receiver = Receiver([(503, [:]), (500, [:])])
        try await Self.withExporter(receiver) { exporter, registry, waits in
            let body = Self.body(registry)
            await exporter.deliver(body)
            #expect(receiver.requests.count == 3)
            #expect(waits.all.count == 2)
            #expect(Self.value(registry, "pipeline_remote_write_retries_total", ["prometheusremotewrite"]) == 2)
            #expect(Self.value(registry, "pipeline_remote_write_samples_sent_total", ["prometheusremotewrite"]) == Double(body.samples))
            let headers = try #require(receiver.requests.last?.headers)
            #expect(headers["content-encoding"] == "snappy")
            #expect(headers["content-type"] == "application/x-protobuf")
            #expect(headers["x-prometheus-remote-write-version"] == "0.1.0")
            #expect(headers["user-agent"]?.hasPrefix("telemetry-pipeline/") == true)
            #expect(headers["x-scope-orgid"] == "tenant-1")
        }
    }

    @Test func tooManyRequestsWaitsAtLeastTheRetryAfter() async throws {
        let receiver = Receiver([(429, ["Retry-After": "7"])])
        try await Self.withExporter(receiver) { exporter, registry, waits in
            await exporter.deliver(Self.body(registry))
            #expect(receiver.requests.count == 2)
            #expect(waits.all.count == 1)
            #expect((waits.all.first ?? .zero) >= .seconds(7))
        }
    }

    @Test func aClientErrorIsDroppedWithoutRetrying() async throws {
        let receiver = Receiver([(400, [:])])
        try await Self.withExporter(receiver) { exporter, registry, waits in
            await exporter.deliver(Self.body(registry))
            #expect(receiver.requests.count == 1)
            #expect(waits.all.isEmpty)
            #expect(Self.value(registry, "pipeline_remote_write_requests_dropped_total", ["prometheusremotewrite", "rejected"]) == 1)
            #expect(Self.value(registry, "pipeline_remote_write_samples_sent_total", ["prometheusremotewrite"]) == 0)
        }
    }

    @Test func retriesEndAtMaxElapsedTime() async throws {
        let receiver = Receiver(Array(repeating: (503, [:]), count: 100))
        try await Self.withExporter(
            receiver,
            configure: {
                $0.retry.maxElapsedTime = .milliseconds(1); $0.retry.initialInterval = .seconds(1)
            }
        ) {
            exporter, registry, _ in
            await exporter.deliver(Self.body(registry))
            #expect(receiver.requests.count == 1)
            #expect(Self.value(registry, "pipeline_remote_write_requests_dropped_total", ["prometheusremotewrite", "retries_exhausted"]) == 1)
        }
    }

    @Test func aFullQueueDropsTheOldestSnapshot() async throws {
        let receiver = Receiver([])
        try await Self.withExporter(receiver, configure: { $0.queueSize = 2 }) { exporter, registry, _ in
            let (stream, queue) = AsyncStream<RemoteWriteRequest.Body>.makeStream(bufferingPolicy: .bufferingNewest(2))
            for _ in 0..<5 { await exporter.push(to: queue) }
            queue.finish()
            #expect(Self.value(registry, "pipeline_remote_write_requests_dropped_total", ["prometheusremotewrite", "queue_full"]) == 3)
            #expect(Self.value(registry, "pipeline_remote_write_queue_size", ["prometheusremotewrite"]) == 2)
            var kept: [Int] = []
            for await body in stream { kept.append(body.samples) }
            #expect(kept.count == 2)
            #expect(receiver.requests.isEmpty)
        }
    }

    @Test func theServicePushesPeriodicallyAndOnceMoreAtShutdown() async throws {
        let receiver = Receiver([])
        try await Self.withExporter(receiver, configure: { $0.exportInterval = .milliseconds(20) }) { exporter, _, _ in
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let group = ServiceGroup(configuration: .init(services: [exporter], logger: quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for _ in 0..<500 where receiver.requests.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(receiver.requests.count >= 2)
                let before = receiver.requests.count
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                #expect(receiver.requests.count > before)
            }
        }
    }

    /// A receiver that always fails cannot hold shutdown: the retry wait ends, the last
    /// attempts fail once each and their requests are dropped.
    @Test func shutdownIsNotHeldByAFailingReceiver() async throws {
        let receiver = Receiver(Array(repeating: (503, [:]), count: 1000))
        try await Self.withExporter(
            receiver,
            configure: {
                $0.exportInterval = .milliseconds(20)
                $0.retry.initialInterval = .seconds(3600)
                $0.retry.maxInterval = .seconds(3600)
                $0.retry.maxElapsedTime = .zero
            }, sleeps: true
        ) { exporter, registry, _ in
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let group = ServiceGroup(configuration: .init(services: [exporter], logger: quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for _ in 0..<500 where receiver.requests.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let shutdown = Self.value(registry, "pipeline_remote_write_requests_dropped_total", ["prometheusremotewrite", "shutdown"])
            #expect((shutdown ?? 0) >= 1)
            #expect(Self.value(registry, "pipeline_remote_write_samples_sent_total", ["prometheusremotewrite"]) == 0)
        }
    }
}
