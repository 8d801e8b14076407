import OTLPProtobufReference
import SwiftProtobuf
import TelemetryCore
import TelemetryTesting
import Testing

@testable import OTLPExporter

@Suite struct OTLPTraceRoundTripTests {
    private var spans: [TelemetrySpanData] {
        var array = SpanFixtures.root
        array.attributes = [
            "strings": .stringArray(["a", "b"]), "ints": .intArray([1, -2]),
            "doubles": .doubleArray([0.5]), "bools": .boolArray([true, false]),
        ]
        array.spanID = SpanID(99)
        var otherScope = SpanFixtures.full
        otherScope.spanID = SpanID(100)
        otherScope.scope = TelemetryInstrumentationScope(name: "other")
        otherScope.droppedAttributesCount = 3
        otherScope.droppedEventsCount = 1
        otherScope.droppedLinksCount = 2
        var otherResource = SpanFixtures.root
        otherResource.resource = TelemetryResource(attributes: ["service.name": "inventory"])
        return [SpanFixtures.full, array, otherScope, otherResource]
    }

    @Test func protobufRoundTrip() throws {
        let decoded = try OTLPTraceDecoder.decode(protobuf: OTLPTraceEncoder.encodeProtobuf(spans))
        #expect(decoded.rejectedSpans == 0)
        #expect(Set(decoded.spans) == Set(spans))
        #expect(decoded.spans.count == spans.count)
    }

    @Test func handWrittenProtobufMatchesTheGeneratedMessages() throws {
        let handWritten = OTLPTraceEncoder.encodeProtobuf(spans)
        let parsed = try OTLPProtobufMapping.Request(serializedBytes: handWritten)
        #expect(parsed == OTLPProtobufMapping.request(ResourceGroup.group(spans)))
        let generated: [UInt8] = try OTLPProtobufMapping.request(ResourceGroup.group(spans)).serializedBytes()
        #expect(handWritten == generated)
    }

    @Test func jsonRoundTrip() throws {
        let decoded = try OTLPTraceDecoder.decode(json: OTLPTraceEncoder.encodeJSON(spans))
        #expect(decoded.rejectedSpans == 0)
        #expect(Set(decoded.spans) == Set(spans))
    }

    @Test func groupsByResourceThenScope() {
        let groups = ResourceGroup.group(spans)
        #expect(groups.count == 2)
        #expect(groups[0].scopes.map(\.scope.name) == ["swift-telemetry", "", "other"])
        #expect(groups[1].resource.serviceName == "inventory")
    }

    @Test func jsonUsesHexIDsStringIntegersAndEnumNumbers() throws {
        let text = String(decoding: OTLPTraceEncoder.encodeJSON([SpanFixtures.full]), as: UTF8.self)
        #expect(text.contains(#""traceId":"01020304050607088899aabbccddeeff""#))
        #expect(text.contains(#""spanId":"feedfacecafebeef""#))
        #expect(text.contains(#""parentSpanId":"1111222233334444""#))
        #expect(text.contains(#""startTimeUnixNano":"1700000000123456000""#))
        #expect(text.contains(#""kind":2"#))
        #expect(text.contains(#""intValue":"503""#))
        #expect(text.contains(#""code":2"#))
    }

    @Test func jsonDecoderAcceptsEnumNamesNumbersAndSnakeCase() throws {
        let body = """
            {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
             "scope_spans":[{"scope":{"name":"lib"},"spans":[{"trace_id":"000000000000000000000000000000AB",
             "span_id":"00000000000000CD","name":"x","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1000,
             "end_time_unix_nano":"2000","status":{"code":"STATUS_CODE_ERROR","message":"boom"},
             "attributes":[{"key":"n","value":{"intValue":7}}]}]}]}]}
            """
        let decoded = try OTLPTraceDecoder.decode(json: Array(body.utf8))
        let span = try #require(decoded.spans.first)
        #expect(span.traceID == TraceID(high: 0, low: 0xAB))
        #expect(span.kind == .client)
        #expect(span.status == .error(description: "boom"))
        #expect(span.startTimeNanos == 1000 && span.endTimeNanos == 2000)
        #expect(span.attributes["n"] == .int(7))
        #expect(span.resource.serviceName == "svc")
    }

    @Test func partialSuccessResponseBodies() throws {
        let proto = OTLPTraceEncoder.encodeResponse(rejectedSpans: 2, errorMessage: "bad ids", format: .protobuf)
        let parsedProto = try #require(OTLPHTTPEncoding.partialSuccess(in: proto, format: .protobuf))
        #expect(parsedProto.rejected == 2 && parsedProto.message == "bad ids")
        let json = OTLPTraceEncoder.encodeResponse(rejectedSpans: 2, errorMessage: "bad ids", format: .json)
        let parsedJSON = try #require(OTLPHTTPEncoding.partialSuccess(in: json, format: .json))
        #expect(parsedJSON.rejected == 2 && parsedJSON.message == "bad ids")
        #expect(OTLPTraceEncoder.encodeResponse(rejectedSpans: 0, errorMessage: "", format: .json) == Array("{}".utf8))
    }

    /// The hand-written response codec against swift-protobuf's generated message, both ways.
    @Test(arguments: [(0, ""), (2, "bad ids"), (0, "only a message"), (1 << 40, String(repeating: "é", count: 300))])
    func protobufResponsesAgreeWithTheGeneratedMessage(rejected: Int, message: String) throws {
        let ours = OTLPTraceEncoder.encodeResponse(rejectedSpans: rejected, errorMessage: message, format: .protobuf)
        let generated = OTLPProtobufMapping.response(rejectedSpans: rejected, errorMessage: message)
        #expect(ours == generated.serializedBytesOrEmpty())
        let decoded = try OTLPProtobufMapping.Response(serializedBytes: ours)
        #expect(decoded.hasPartialSuccess == (rejected > 0 || !message.isEmpty))
        #expect(decoded.partialSuccess.rejectedSpans == Int64(rejected) && decoded.partialSuccess.errorMessage == message)
        let parsed = OTLPHTTPEncoding.partialSuccess(in: generated.serializedBytesOrEmpty(), format: .protobuf)
        #expect(parsed?.rejected == (decoded.hasPartialSuccess ? rejected : nil))
        #expect(parsed?.message == (decoded.hasPartialSuccess ? message : nil))
    }

    @Test func aResponseThatIsNotProtobufHasNoPartialSuccess() {
        #expect(OTLPHTTPEncoding.partialSuccess(in: [0x0A, 0x05, 0x08], format: .protobuf) == nil)
        #expect(OTLPHTTPEncoding.partialSuccess(in: Array("<html>".utf8), format: .protobuf) == nil)
    }
}
