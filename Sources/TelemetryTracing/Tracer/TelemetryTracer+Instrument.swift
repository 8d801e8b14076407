import TelemetryCore
import Tracing

extension TelemetryTracer {
    /// Reads `traceparent`, `tracestate` and `baggage`; invalid headers are ignored, leaving
    /// `context` as it was (a malformed `tracestate` alone is dropped, as W3C says).
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier,
        into context: inout ServiceContext,
        using extractor: Extract
    ) where Extract.Carrier == Carrier {
        if let traceparent = extractor.extract(key: W3CTraceContext.traceparentHeader, from: carrier),
            var spanContext = W3CTraceContext.parse(traceparent: traceparent)
        {
            if let tracestate = extractor.extract(key: W3CTraceContext.tracestateHeader, from: carrier),
                let traceState = TraceState(headerValue: tracestate)
            {
                spanContext.traceState = traceState
            }
            context.spanContext = spanContext
        }
        if propagatesBaggage, let header = extractor.extract(key: "baggage", from: carrier),
            let baggage = Baggage(headerValue: header)
        {
            context.baggage = baggage
        }
    }

    /// Writes `traceparent` (and `tracestate`, `baggage` when present) for the context's span.
    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext,
        into carrier: inout Carrier,
        using injector: Inject
    ) where Inject.Carrier == Carrier {
        if let spanContext = context.spanContext, spanContext.isValid {
            injector.inject(W3CTraceContext.traceparent(for: spanContext), forKey: W3CTraceContext.traceparentHeader, into: &carrier)
            if !spanContext.traceState.isEmpty {
                injector.inject(spanContext.traceState.headerValue, forKey: W3CTraceContext.tracestateHeader, into: &carrier)
            }
        }
        if propagatesBaggage, let baggage = context.baggage, !baggage.entries.isEmpty {
            injector.inject(baggage.headerValue, forKey: "baggage", into: &carrier)
        }
    }
}
