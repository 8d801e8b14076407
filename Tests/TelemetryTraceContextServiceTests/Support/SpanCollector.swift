import ServiceLifecycle
import Synchronization
import TelemetryCore
import TelemetryTracing

/// Keeps every ended span as it ends, so a test can compare IDs without waiting on an exporter.
final class SpanCollector: SpanProcessor {
    private let ended = Mutex<[SpanData]>([])

    var spans: [SpanData] { ended.withLock { $0 } }

    func onEnd(_ span: SpanData) {
        ended.withLock { $0.append(span) }
    }

    func forceFlush() async throws {}

    func run() async throws {
        try? await gracefulShutdown()
    }
}
