import Dispatch
import TelemetryCore
import TraceStorage
import TraceStorageSQLite

/// The `tracestore` exporter: keeps the spans it is given in a ``TraceRepository`` (in
/// memory or in an SQLite file) the monitoring endpoint's query API and web UI read.
package struct TraceStoreExporter: SpanExporter {
    package let store: any TraceRepository
    let clock: PipelineClock

    package init(store: any TraceRepository, clock: @escaping PipelineClock) {
        self.store = store
        self.clock = clock
    }

    package func export(_ batch: [TelemetrySpanData]) async throws {
        let now = clock()
        if let memory = store as? TraceStore {
            memory.insert(batch, now: now)
            return
        }
        // A database write waits for the disk and for the one writer; it runs on a thread of its
        // own so it never holds one of the few threads every task of the pipeline shares.
        let store = self.store
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Self.databaseWrites.async { continuation.resume(with: Result { try store.insert(batch, now: now) }) }
        }
    }

    private static let databaseWrites = DispatchQueue(label: "tracestore.database-writes")

    /// The store `storage` names, with the configured bounds; opening a database fails when
    /// its file cannot be opened or is not an SQLite database.
    package static func makeStore(_ configuration: TraceStore.Configuration, storage: TraceStoreStorage) throws -> any TraceRepository {
        switch storage {
        case .memory:
            return TraceStore(configuration: configuration)
        case .sqlite(let path):
            return try SQLiteTraceStore(
                configuration: .init(path: path, maxBytes: configuration.maxBytes, retention: configuration.retention))
        }
    }
}

extension TraceStoreExporter {
    /// The store's size at every scrape: `telemetry_tracestore_traces`, `_spans`, `_bytes`
    /// (the estimate `max_bytes` bounds) and `_evicted_traces_total`, labelled by exporter.
    static func reportStatistics(of store: any TraceRepository, exporter: String, to registry: MetricRegistry) {
        let traces = registry.gauge("telemetry_tracestore_traces", help: "Traces held by the trace store.", labels: ["exporter"])
        let spans = registry.gauge("telemetry_tracestore_spans", help: "Spans held by the trace store.", labels: ["exporter"])
        let bytes = registry.gauge(
            "telemetry_tracestore_bytes", help: "Estimated size of the spans held by the trace store and of its search index (bounded by max_bytes).",
            labels: ["exporter"])
        let evicted = registry.counter(
            "telemetry_tracestore_evicted_traces_total", help: "Traces evicted because the store was full or they outlived the retention.",
            labels: ["exporter"])
        registry.onRender {
            let statistics = store.statistics
            traces.set(Double(statistics.traces), [exporter])
            spans.set(Double(statistics.spans), [exporter])
            bytes.set(Double(statistics.bytes), [exporter])
            evicted.set(Double(statistics.evictedTraces), [exporter])
        }
    }
}
