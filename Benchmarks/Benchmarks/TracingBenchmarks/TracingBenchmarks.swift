import Benchmark
import OTel
import ServiceLifecycle
import TelemetryCore
import TelemetryTracing
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Discards every batch: the cases measure the tracer, not an exporter.
struct DiscardingExporter: TelemetryCore.SpanExporter {
    func export(_ batch: [TelemetrySpanData]) async throws {}
}

struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}

/// Our tracer with the batch processor running in the background, as in a real service.
func makeOurs(sampler: any Sampler) -> TelemetryTracer {
    let processor = BatchSpanProcessor(exporter: DiscardingExporter())
    Task { try await processor.run() }
    return TelemetryTracer(processor: processor, configuration: .init(sampler: sampler))
}

/// swift-otel 1.6.0 configured the same way: batch processor, no export.
func makePeer(sampler: OTel.Configuration.TracesConfiguration.SamplerConfiguration) -> some Tracer {
    var configuration = OTel.Configuration.default
    configuration.traces.sampler = sampler
    configuration.traces.exporter = .none
    configuration.metrics.enabled = false
    configuration.logs.enabled = false
    let (tracer, service) = try! OTel.makeTracingBackend(configuration: configuration)
    Task { try await service.run() }
    return tracer
}

/// A context whose remote parent was not sampled, as an incoming request with `traceparent … -00`.
func unsampledIncomingContext(_ tracer: some Tracer) -> ServiceContext {
    var context = ServiceContext.topLevel
    tracer.extract(
        ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"],
        into: &context,
        using: HeaderExtractor()
    )
    return context
}

@inline(__always)
func sampledSpanWithFourAttributes(_ tracer: some Tracer) {
    let span = tracer.startSpan("GET /users/:id", context: .topLevel, ofKind: .server)
    span.attributes["http.request.method"] = "GET"
    span.attributes["http.route"] = "/users/:id"
    span.attributes["http.response.status_code"] = 200
    span.attributes["user.premium"] = true
    span.end()
}

@inline(__always)
func unsampledSpan(_ tracer: some Tracer, parent: ServiceContext) {
    let span = tracer.startSpan("SELECT users", context: parent, ofKind: .client)
    span.end()
}

@inline(__always)
func unsampledRoot(_ tracer: some Tracer) {
    let span = tracer.startSpan("healthcheck", context: .topLevel)
    span.end()
}

@inline(__always)
func nestedWithSpan(_ tracer: some Tracer) {
    tracer.withSpan("outer") { _ in
        tracer.withSpan("middle") { _ in
            tracer.withSpan("inner") { span in blackHole(span) }
        }
    }
}

@inline(__always)
func injectExtract(_ tracer: some Tracer, context: ServiceContext, headers: inout [String: String]) {
    headers.removeAll(keepingCapacity: true)
    tracer.inject(context, into: &headers, using: HeaderInjector())
    var extracted = ServiceContext.topLevel
    tracer.extract(headers, into: &extracted, using: HeaderExtractor())
    blackHole(extracted)
}

/// CPU time the benchmark's own thread spent on a sample, per operation: unlike wall clock it
/// does not count time the thread sat descheduled while other processes had the 2 cores.
/// (It does not count the batch processor's background thread either.)
let threadCPU = BenchmarkMetric.custom("Thread CPU (ns)", polarity: .prefersSmaller, useScalingFactor: true)

func threadCPUNanos() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return now.tv_sec * 1_000_000_000 + now.tv_nsec
}

/// Runs `body` (one sample: `scaledIterations` operations) and records the thread's CPU time.
@inline(__always)
func sample(_ benchmark: Benchmark, _ body: () -> Void) {
    let start = threadCPUNanos()
    body()
    benchmark.measurement(threadCPU, threadCPUNanos() - start)
}

/// A key whose value is a class, as ours is: reading it back is a class cast.
enum ClassValueKey: ServiceContextKey {
    typealias Value = ClassValue
}

final class ClassValue: Sendable {
    let number = 1
}

/// A key whose value is a protocol existential: reading it back is a conformance lookup.
enum ProtocolValueKey: ServiceContextKey {
    typealias Value = any ProtocolValue
}

protocol ProtocolValue: AnyObject, Sendable {
    var number: Int { get }
}

final class ProtocolValueImpl: ProtocolValue {
    let number = 1
}

/// What the API itself costs for the sampled case, whichever SDK records it: four
/// `SpanAttributes` sets (a key hash and insert each) into a dictionary reserved up front, one
/// read of them all, and the two clock reads of start and end.
@inline(__always)
func attributesFloor() {
    let start = DefaultTracerClock.now
    var attributes = SpanAttributes([String: SpanAttribute](minimumCapacity: 8))
    attributes["http.request.method"] = "GET"
    attributes["http.route"] = "/users/:id"
    attributes["http.response.status_code"] = 200
    attributes["user.premium"] = true
    attributes.forEach { key, value in
        blackHole(key); blackHole(value)
    }
    blackHole(start)
    blackHole(DefaultTracerClock.now)
}

/// Not tracing at all: four inserts into a plain `[String: Int]` reserved for 8, a yardstick
/// for what hashing four keys and one allocation cost on the machine at hand.
@inline(__always)
func plainDictionaryYardstick() {
    var dictionary = [String: Int](minimumCapacity: 8)
    dictionary["http.request.method"] = 1
    dictionary["http.route"] = 2
    dictionary["http.response.status_code"] = 200
    dictionary["user.premium"] = 3
    blackHole(dictionary)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, threadCPU, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 1_000,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    // Built here rather than as globals: a global cannot hold swift-otel's opaque tracer type.
    let ours = makeOurs(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
    let peer = makePeer(sampler: .parentBasedAlwaysOn)
    let oursOff = makeOurs(sampler: AlwaysOffSampler())
    let peerOff = makePeer(sampler: .alwaysOff)

    // Each case runs on both SDKs; `scaledIterations` repeats the operation 1 000 times per sample.
    Benchmark("sampled span, 4 attributes: ours") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { sampledSpanWithFourAttributes(ours) } }
    }
    Benchmark("sampled span, 4 attributes: swift-otel") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { sampledSpanWithFourAttributes(peer) } }
    }

    Benchmark("unsampled span (unsampled parent): ours") { benchmark in
        let parent = unsampledIncomingContext(ours)
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { unsampledSpan(ours, parent: parent) } }
    }
    Benchmark("unsampled span (unsampled parent): swift-otel") { benchmark in
        let parent = unsampledIncomingContext(peer)
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { unsampledSpan(peer, parent: parent) } }
    }

    // Not a comparison: what reading the parent out of a `ServiceContext` costs on its own (a
    // hash of the key and a dynamic cast inside swift-distributed-tracing), the floor under
    // every child span.
    Benchmark("ServiceContext span-context lookup alone: ours") { benchmark in
        let parent = unsampledIncomingContext(ours)
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { blackHole(parent.spanContext) } }
    }

    // The same lookup with a value of each shape, to show what the cast alone costs.
    Benchmark("ServiceContext lookup, class value (floor)") { benchmark in
        var context = ServiceContext.topLevel
        context[ClassValueKey.self] = ClassValue()
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { blackHole(context[ClassValueKey.self]?.number) } }
    }
    Benchmark("ServiceContext lookup, protocol value") { benchmark in
        var context = ServiceContext.topLevel
        context[ProtocolValueKey.self] = ProtocolValueImpl()
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { blackHole(context[ProtocolValueKey.self]?.number) } }
    }

    Benchmark("4 SpanAttributes sets + 2 clock reads (floor)") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { attributesFloor() } }
    }

    Benchmark("4 inserts into [String: Int] (machine yardstick)") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { plainDictionaryYardstick() } }
    }

    Benchmark("unsampled root span (always_off): ours") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { unsampledRoot(oursOff) } }
    }
    Benchmark("unsampled root span (always_off): swift-otel") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { unsampledRoot(peerOff) } }
    }

    Benchmark("withSpan nested 3 deep: ours") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { nestedWithSpan(ours) } }
    }
    Benchmark("withSpan nested 3 deep: swift-otel") { benchmark in
        sample(benchmark) { for _ in benchmark.scaledIterations { nestedWithSpan(peer) } }
    }

    Benchmark("traceparent inject+extract: ours") { benchmark in
        let span = ours.startSpan("client", context: .topLevel, ofKind: .client)
        let context = span.context
        var headers: [String: String] = [:]
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { injectExtract(ours, context: context, headers: &headers) } }
        benchmark.stopMeasurement()
        span.end()
    }
    Benchmark("traceparent inject+extract: swift-otel") { benchmark in
        let span = peer.startSpan("client", context: .topLevel, ofKind: .client)
        let context = span.context
        var headers: [String: String] = [:]
        benchmark.startMeasurement()
        sample(benchmark) { for _ in benchmark.scaledIterations { injectExtract(peer, context: context, headers: &headers) } }
        benchmark.stopMeasurement()
        span.end()
    }
}
