import Testing
import Tracing

@testable import TelemetryCore

@Suite struct SpanContextCarrierTests {
    @Test func serviceContextCarriesASpanContext() {
        var context = ServiceContext.topLevel
        #expect(context.spanContext == nil)
        let spanContext = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: .sampled, isRemote: true)
        context.spanContext = spanContext
        #expect(context.spanContext == spanContext)
        context.spanContext = nil
        #expect(context.spanContext == nil)
    }

    @Test func liveSpanSubclassReadsBackAsItself() {
        final class LiveSpan: SpanContextCarrier, @unchecked Sendable {}
        let spanContext = SpanContext(traceID: TraceID(high: 4, low: 5), spanID: SpanID(6), traceFlags: .sampled)
        let live = LiveSpan(spanContext)
        var context = ServiceContext.topLevel
        context[SpanContextKey.self] = live
        #expect(context[SpanContextKey.self] === live)
        #expect(context[SpanContextKey.self] is LiveSpan)
        #expect(context.spanContext == spanContext)
        // Setting a plain span context replaces the live span with a carrier of its own.
        context.spanContext = spanContext
        #expect(!(context[SpanContextKey.self] is LiveSpan))
        #expect(context.spanContext == spanContext)
    }

    @Test func otelFieldUpdateKeepsOtherFields() {
        var state = TraceState(headerValue: "vendor=x,ot=rv:00000000000001;p:8")!
        state.setOTelField("th", "c")
        #expect(state.headerValue == "ot=th:c;rv:00000000000001;p:8,vendor=x")
        state.setOTelField("th", "8")
        #expect(state["ot"] == "th:8;rv:00000000000001;p:8")
    }
}
