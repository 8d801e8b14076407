import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryTracing
import Tracing

/// Records every ended span synchronously, sampled or not, so tracer tests need no waiting.
final class CollectingProcessor: SpanProcessor {
    private let ended = Mutex<[TelemetrySpanData]>([])

    var spans: [TelemetrySpanData] { ended.withLock { $0 } }

    func onEnd(_ span: TelemetrySpanData) {
        ended.withLock { $0.append(span) }
    }

    func forceFlush() async throws {}

    func run() async throws {
        try? await gracefulShutdown()
    }
}

/// A `[String: String]` carrier for propagation tests.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String { "the database is on fire" }
}

extension TelemetryTracer {
    static func forTesting(
        sampler: any Sampler = AlwaysOnSampler(),
        idGenerator: any IDGenerator = RandomIDGenerator(),
        limits: SpanLimits = .default
    ) -> (TelemetryTracer, CollectingProcessor) {
        let processor = CollectingProcessor()
        let tracer = TelemetryTracer(
            processor: processor,
            configuration: .init(
                sampler: sampler,
                idGenerator: idGenerator,
                resource: TelemetryResource(serviceName: "test-service"),
                spanLimits: limits
            )
        )
        return (tracer, processor)
    }
}
