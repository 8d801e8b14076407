import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryTracing

/// Keeps every ended span as it ends, so a test can compare IDs without waiting on an exporter.
final class SpanCollector: SpanProcessor {
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
