import AsyncHTTPClient
import Benchmark
import CoreMetrics
import Hummingbird
import NIOCore
import TelemetryCore
import TelemetryHTTPServer
import TelemetryMetrics
import TelemetryTracing

/// Discards every batch: the cases measure instrumentation, not an exporter.
struct DiscardingExporter: TelemetryCore.SpanExporter {
    func export(_ batch: [TelemetrySpanData]) async throws {}
}

let metricsBackend = PrometheusMetricsBackend(configuration: .init(enabled: true, port: 0, path: "/metrics"))
let requestCounter = CoreMetrics.Counter(
    label: MetricCatalog.httpRequestsTotal,
    dimensions: [("method", "GET"), ("path", "/api/v1/users/{id}"), ("status", "200")],
    factory: metricsBackend.factory
)
let requestTimer = CoreMetrics.Timer(
    label: MetricCatalog.httpRequestDuration,
    dimensions: [("method", "GET"), ("path", "/api/v1/users/{id}"), ("status", "200")],
    factory: metricsBackend.factory
)
let serverMetrics = HTTPServerMetrics(service: "bench", factory: metricsBackend.factory)

/// One server with an instrumented and a plain route, so both are measured in the same process
/// and run; the plain group carries no middleware at all.
actor ServerFixture {
    static let shared = ServerFixture()
    private var port: Int?
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    func start() async throws -> Int {
        if let port { return port }
        let processor = BatchSpanProcessor(exporter: DiscardingExporter())
        Task { try await processor.run() }
        let tracer = TelemetryTracer(processor: processor)
        let instrumentation = HTTPInstrumentation(service: "bench", tracer: tracer, metricsFactory: metricsBackend.factory)

        let router = Router()
        router.group("/plain").get("/users/{id}") { _, context in try context.parameters.require("id") }
        router.group("/instrumented")
            .add(middleware: TelemetryMiddleware(instrumentation: instrumentation))
            .get("/users/{id}") { _, context in try context.parameters.require("id") }

        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        Task { try await application.run() }
        for await bound in ports {
            port = bound
            return bound
        }
        return 0
    }
}

func get(_ path: String, port: Int) async throws {
    let response = try await ServerFixture.shared.client.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"),
        timeout: .seconds(5)
    )
    _ = try await response.body.collect(upTo: 1024)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 100,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    Benchmark("Counter increment (http_requests_total)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { requestCounter.increment() }
    }

    Benchmark("Histogram observe (http_request_duration_seconds)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for index in benchmark.scaledIterations { requestTimer.recordNanoseconds(Int64(index % 1000) * 1_000_000) }
    }

    Benchmark("RED metrics per request (cached handles)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            serverMetrics.requestStarted()
            serverMetrics.requestFinished(method: "GET", path: "/api/v1/users/{id}", status: 200, duration: .milliseconds(3))
        }
    }

    Benchmark("HTTP GET, plain route") { benchmark in
        let port = try await ServerFixture.shared.start()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { try await get("/plain/users/\(index)", port: port) }
    }

    Benchmark("HTTP GET, instrumented route (span + RED metrics)") { benchmark in
        let port = try await ServerFixture.shared.start()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { try await get("/instrumented/users/\(index)", port: port) }
    }
}
