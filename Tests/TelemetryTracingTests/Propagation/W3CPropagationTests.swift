import TelemetryCore
import TelemetryTesting
import Testing
import Tracing

@testable import TelemetryTracing

@Suite struct W3CPropagationTests {
    private let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    private func extract(_ headers: [String: String]) -> ServiceContext {
        let (tracer, _) = TelemetryTracer.forTesting()
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: DictionaryExtractor())
        return context
    }

    @Test func extractsValidTraceparent() throws {
        let context = try #require(extract(["traceparent": valid]).spanContext)
        #expect(context.traceID.hexString == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanID.hexString == "00f067aa0ba902b7")
        #expect(context.isSampled)
        #expect(context.isRemote)
    }

    @Test(arguments: [
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // optional whitespace around the value
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // a future version, exact length
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff",  // unknown flags are ignored, not fatal
    ])
    func acceptsW3CValidVariants(_ header: String) {
        #expect(extract(["traceparent": header]).spanContext?.traceID.hexString == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    // The invalid `traceparent` cases of the W3C trace-context test suite (test/test.py).
    @Test(arguments: [
        "",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is forbidden
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version too short
        "000-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version too long
        "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version not hex
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace ID
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent ID
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase trace ID
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",  // uppercase parent ID
        "00-4bf92f3577b34da6a3ce929d0e0e473.-00f067aa0ba902b7-01",  // illegal character
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b.-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",  // flags not hex
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // trace ID too short
        "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",  // trace ID too long
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",  // parent ID too short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",  // flags too short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 must end after flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-not-be-like",
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-the-future-will-not-be-like",
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // wrong separators
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
    ])
    func ignoresInvalidTraceparent(_ header: String) {
        let context = extract(["traceparent": header, "tracestate": "foo=bar"])
        #expect(context.spanContext == nil)
    }

    @Test func tracestateTravelsWithAValidTraceparent() throws {
        let context = try #require(extract(["traceparent": valid, "tracestate": "ot=th:8,vendor=x"]).spanContext)
        #expect(context.traceState.headerValue == "ot=th:8,vendor=x")
    }

    @Test(arguments: ["@foo=1,bar=2", "UPPER=1", "a=b=c", "foo=,bar=3", (0..<33).map { "k\($0)=v" }.joined(separator: ",")])
    func malformedTracestateIsDroppedButTraceparentKept(_ tracestate: String) throws {
        let context = try #require(extract(["traceparent": valid, "tracestate": tracestate]).spanContext)
        #expect(context.traceState.isEmpty)
    }

    @Test func injectWritesTraceparentAndTracestate() {
        let (tracer, _) = TelemetryTracer.forTesting(sampler: TraceIDRatioSampler(probability: 1))
        let span = tracer.startSpan("client", context: .topLevel)
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: DictionaryInjector())
        let expected = "00-\(span.spanContext!.traceID.hexString)-\(span.spanContext!.spanID.hexString)-03"
        #expect(headers["traceparent"] == expected)
        #expect(headers["tracestate"] == "ot=th:0")
    }

    @Test func roundTripThroughHeadersKeepsTheTrace() throws {
        let (tracer, processor) = TelemetryTracer.forTesting()
        let client = tracer.startSpan("client", context: .topLevel, ofKind: .client)
        var headers: [String: String] = [:]
        tracer.inject(client.context, into: &headers, using: DictionaryInjector())
        var serverContext = ServiceContext.topLevel
        tracer.extract(headers, into: &serverContext, using: DictionaryExtractor())
        let server = tracer.startSpan("server", context: serverContext, ofKind: .server)
        server.end()
        client.end()
        let spans = processor.spans
        #expect(spans[0].traceID == spans[1].traceID)
        #expect(spans[0].parentSpanID == spans[1].spanID)
    }

    @Test func unsampledContextPropagatesWithFlagsZero() {
        let (tracer, _) = TelemetryTracer.forTesting(sampler: AlwaysOffSampler())
        let span = tracer.startSpan("dropped", context: .topLevel)
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: DictionaryInjector())
        #expect(headers["traceparent"]?.hasSuffix("-02") == true)
    }

    @Test func nothingIsInjectedWithoutASpan() {
        let (tracer, _) = TelemetryTracer.forTesting()
        var headers: [String: String] = [:]
        tracer.inject(.topLevel, into: &headers, using: DictionaryInjector())
        #expect(headers.isEmpty)
    }

    @Test func baggageRoundTrips() throws {
        let (tracer, _) = TelemetryTracer.forTesting()
        var context = ServiceContext.topLevel
        tracer.extract(
            ["baggage": "userId=alice, serverNode = DF%2028 ,isProduction=false;prop=1,bad key=x"],
            into: &context,
            using: DictionaryExtractor()
        )
        let baggage = try #require(context.baggage)
        #expect(baggage["userId"] == "alice")
        #expect(baggage["serverNode"] == "DF 28")
        #expect(baggage["isProduction"] == "false")
        #expect(baggage.entries.count == 3)
        #expect(baggage.entries[2].metadata == "prop=1")

        var headers: [String: String] = [:]
        tracer.inject(context, into: &headers, using: DictionaryInjector())
        #expect(headers["baggage"] == "userId=alice,serverNode=DF%2028,isProduction=false;prop=1")
        #expect(Baggage(headerValue: "no-equals-sign") == nil)
    }
}

@Suite struct BaggageTests {
    @Test func headerStaysWithinTheW3CLimit() {
        var baggage = Baggage()
        for i in 0..<100 { baggage["key\(i)"] = String(repeating: "v", count: 100) }
        let header = baggage.headerValue
        #expect(header.utf8.count <= Baggage.maximumHeaderLength)
        #expect(Baggage(headerValue: header)?.entries.count == header.split(separator: ",").count)
    }

    @Test func settingAndRemovingEntries() {
        var baggage = Baggage()
        baggage["a"] = "1"
        baggage["b"] = "2"
        baggage["a"] = "3"
        baggage["b"] = nil
        #expect(baggage.entries == [Baggage.Entry(key: "a", value: "3")])
        #expect(baggage.headerValue == "a=3")
    }
}
