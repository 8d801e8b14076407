import Testing
import Tracing
@testable import TelemetryCore

@Suite struct SpanContextProviderTests {
    @Test func serviceContextCarriesASpanContext() {
        var context = ServiceContext.topLevel
        #expect(context.spanContext == nil)
        let spanContext = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: .sampled, isRemote: true)
        context.spanContext = spanContext
        #expect(context.spanContext == spanContext)
        context.spanContext = nil
        #expect(context.spanContext == nil)
    }

    @Test func otelFieldUpdateKeepsOtherFields() {
        var state = TraceState(headerValue: "vendor=x,ot=rv:00000000000001;p:8")!
        state.setOTelField("th", "c")
        #expect(state.headerValue == "ot=th:c;rv:00000000000001;p:8,vendor=x")
        state.setOTelField("th", "8")
        #expect(state["ot"] == "th:8;rv:00000000000001;p:8")
    }
}
