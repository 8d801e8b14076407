import TelemetryCore
import TraceStorage

/// The `tracestore` exporter: keeps the spans it is given in a ``TraceStore`` the monitoring
/// endpoint's query API and web UI read.
package struct TraceStoreExporter: SpanExporter {
    package let store: TraceStore
    let clock: PipelineClock

    package init(store: TraceStore, clock: @escaping PipelineClock) {
        self.store = store
        self.clock = clock
    }

    package func export(_ batch: [TelemetrySpanData]) async throws {
        store.insert(batch, now: clock())
    }
}

extension TraceStoreExporter {
    /// The store's size at every scrape: `telemetry_tracestore_traces`, `_spans`, `_bytes`
    /// (the estimate `max_bytes` bounds) and `_evicted_traces_total`, labelled by exporter.
    static func reportStatistics(of store: TraceStore, exporter: String, to registry: MetricRegistry) {
        let traces = registry.gauge("telemetry_tracestore_traces", help: "Traces held by the trace store.", labels: ["exporter"])
        let spans = registry.gauge("telemetry_tracestore_spans", help: "Spans held by the trace store.", labels: ["exporter"])
        let bytes = registry.gauge(
            "telemetry_tracestore_bytes", help: "Estimated size of the spans held by the trace store (bounded by max_bytes).", labels: ["exporter"])
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
