import TelemetryCore
import Testing
import Tracing

@testable import TelemetryTracing

/// `traceparent` parsing and writing by the rules of W3C Trace Context: "traceparent Header",
/// "Versioning of traceparent" and "Mutating the traceparent Field".
@Suite struct TraceparentTests {
    private let traceID = "12345678901234567890123456789012"
    private let parentID = "1234567890123456"

    /// What a child of the extracted context sends on: extract, start a span, inject.
    private func forwarded(_ headers: [String: String]) -> [String: String] {
        let (tracer, _) = TelemetryTracer.forTesting(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: DictionaryExtractor())
        let span = tracer.startSpan("child", context: context)
        var outgoing: [String: String] = [:]
        tracer.inject(span.context, into: &outgoing, using: DictionaryInjector())
        span.end()
        return outgoing
    }

    @Test func writesVersion00WithLowercaseHex() {
        let context = SpanContext(
            traceID: TraceID(high: 0x4BF9_2F35_77B3_4DA6, low: 0xA3CE_929D_0E0E_4736),
            spanID: SpanID(0x00F0_67AA_0BA9_02B7),
            traceFlags: .sampled
        )
        #expect(W3CTraceContext.traceparent(for: context) == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let parsed = W3CTraceContext.parse(traceparent: W3CTraceContext.traceparent(for: context))
        #expect(parsed?.traceID == context.traceID)
        #expect(parsed?.spanID == context.spanID)
        #expect(parsed?.traceFlags == .sampled)
    }

    @Test(
        "a higher version is read by the version-00 layout and sent on as version 00",
        arguments: [
            "cc-12345678901234567890123456789012-1234567890123456-01",
            "cc-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
            "0a-12345678901234567890123456789012-1234567890123456-01-",
        ])
    func downgradesAHigherVersion(_ header: String) throws {
        let outgoing = try #require(forwarded(["traceparent": header, "tracestate": "foo=1"])["traceparent"])
        #expect(outgoing.hasPrefix("00-\(traceID)-"))
        #expect(outgoing.hasSuffix("-01"))
        #expect(outgoing.utf8.count == 55)
        #expect(!outgoing.contains("-\(parentID)-"))
    }

    @Test(
        "the version is two lowercase hex digits other than ff, followed by a dash",
        arguments: [
            "CC-12345678901234567890123456789012-1234567890123456-01",
            "ff-12345678901234567890123456789012-1234567890123456-01",
            ".0-12345678901234567890123456789012-1234567890123456-01",
            "0.-12345678901234567890123456789012-1234567890123456-01",
            "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like",
            "cc-12345678901234567890123456789012-1234567890123456-012",
            "cc-1234567890123456789012345678901.-1234567890123456-01",
        ])
    func rejectsVersion(_ header: String) {
        #expect(W3CTraceContext.parse(traceparent: header) == nil)
    }

    @Test("two traceparent fields arrive joined by a comma (RFC 9110) and restart the trace")
    func rejectsCombinedFields() {
        let first = "00-\(traceID)-\(parentID)-01"
        #expect(W3CTraceContext.parse(traceparent: "\(first), 00-21098765432109876543210987654321-\(parentID)-01") == nil)
        #expect(W3CTraceContext.parse(traceparent: "\(first),\(first)") == nil)
    }

    @Test("optional whitespace around the value is ignored", arguments: [" ", "\t", " \t", "\t \t"])
    func ignoresSurroundingWhitespace(_ whitespace: String) {
        let header = "\(whitespace)00-\(traceID)-\(parentID)-01\(whitespace)"
        #expect(W3CTraceContext.parse(traceparent: header)?.traceID.hexString == traceID)
        #expect(W3CTraceContext.parse(traceparent: "00-\(traceID)-\(parentID)-01\(whitespace)x") == nil)
    }

    @Test(
        "unknown flags are dropped; sampled and random are kept and sent on",
        arguments: [
            ("ff", "03"), ("fd", "01"), ("fe", "02"), ("04", "00"), ("03", "03"),
        ])
    func keepsOnlyKnownFlags(incoming: String, outgoing: String) throws {
        let parsed = try #require(W3CTraceContext.parse(traceparent: "00-\(traceID)-\(parentID)-\(incoming)"))
        #expect(parsed.traceFlags.rawValue & ~0x03 == 0)
        // Parent-based sampling: the child keeps the caller's sampled bit, and the random bit.
        let sent = try #require(forwarded(["traceparent": "00-\(traceID)-\(parentID)-\(incoming)"])["traceparent"])
        #expect(sent.hasSuffix("-\(outgoing)"))
    }

    @Test("a new parent ID and the tracestate travel with the caller's trace ID")
    func forwardsTraceIDWithNewParentAndTracestate() throws {
        let outgoing = forwarded(["traceparent": "00-\(traceID)-\(parentID)-01", "tracestate": "foo=1,bar=2"])
        let traceparent = try #require(outgoing["traceparent"])
        #expect(traceparent.hasPrefix("00-\(traceID)-"))
        #expect(!traceparent.contains("-\(parentID)-"))
        #expect(outgoing["tracestate"] == "foo=1,bar=2")
    }

    @Test("without a valid traceparent the tracestate is not read, and a new trace starts")
    func tracestateNeedsATraceparent() throws {
        let outgoing = forwarded(["traceparent": "00-00000000000000000000000000000000-\(parentID)-01", "tracestate": "foo=1"])
        let traceparent = try #require(outgoing["traceparent"])
        #expect(!traceparent.contains("00000000000000000000000000000000"))
        #expect(traceparent.hasSuffix("-03"))
        #expect(outgoing["tracestate"] == nil)
        #expect(forwarded(["tracestate": "foo=1"])["tracestate"] == nil)
    }
}
