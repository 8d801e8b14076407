import TelemetryCore
import TelemetryTracing
import Tracing

extension FuzzTarget {
    /// `traceparent`, `tracestate` and `baggage` headers, one per line, through the tracer's
    /// `extract`; then a span under the extracted context (the ratio sampler reads the
    /// `ot=th:` threshold from `tracestate`) and `inject` of its context.
    static let w3cHeaders = FuzzTarget(name: "w3c-headers", summary: "TelemetryTracer.extract: traceparent, tracestate, baggage") { bytes in
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        var headers: [String: String] = [:]
        for (name, value) in zip([W3CTraceContext.traceparentHeader, W3CTraceContext.tracestateHeader, "baggage"], lines) {
            headers[name] = String(value)
        }
        var context = ServiceContext.topLevel
        headerTracer.extract(headers, into: &context, using: HeaderExtractor())
        let span = headerTracer.startSpan("fuzz", context: context, ofKind: .server)
        span.end()
        var outgoing: [String: String] = [:]
        headerTracer.inject(span.context, into: &outgoing, using: HeaderInjector())
    }

    private static let headerTracer = TelemetryTracer(
        processor: DiscardingSpanProcessor(),
        configuration: .init(sampler: TraceIDRatioSampler(probability: 0.25))
    )
}

private struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

private struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

/// Builds each ended span's data, as an exporting processor would, and keeps nothing.
private struct DiscardingSpanProcessor: SpanProcessor {
    func onEnd(_ span: consuming TelemetrySpanData) {}
    func forceFlush() async throws {}
    func run() async throws {}
}
