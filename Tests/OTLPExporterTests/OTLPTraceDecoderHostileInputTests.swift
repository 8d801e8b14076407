import Foundation
import OTLPProtobufReference
import SwiftProtobuf
import TelemetryCore
import TelemetryTesting
import Testing

@testable import OTLPExporter

@Suite struct OTLPTraceDecoderHostileInputTests {
    @Test func invalidIDsAreRejectedAndCounted() throws {
        var request = OTLPProtobufMapping.request(ResourceGroup.group([SpanFixtures.full, SpanFixtures.root]))
        request.resourceSpans[0].scopeSpans[0].spans[0].traceID = Data([1, 2, 3])
        var zero = OTLPProtobufMapping.span(SpanFixtures.root)
        zero.spanID = Data(count: 8)
        var badParent = OTLPProtobufMapping.span(SpanFixtures.root)
        badParent.parentSpanID = Data([1])
        request.resourceSpans[0].scopeSpans[0].spans += [zero, badParent]
        let decoded = try OTLPTraceDecoder.decode(protobuf: try request.serializedBytes() as [UInt8])
        #expect(decoded.rejectedSpans == 3)
        #expect(decoded.spans == [SpanFixtures.root])
        #expect(decoded.errorMessage.contains("trace ID"))
    }

    @Test func jsonWithBase64IDsIsRejectedPerSpan() throws {
        let body = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"AQIDBAUGBwg=","name":"b64"}]}]}]}"#
        let decoded = try OTLPTraceDecoder.decode(json: Array(body.utf8))
        #expect(decoded.spans.isEmpty)
        #expect(decoded.rejectedSpans == 1)
    }

    @Test func truncatedProtobufThrows() {
        let bytes = OTLPTraceEncoder.encodeProtobuf([SpanFixtures.full])
        var failures = 0
        for length in stride(from: 1, to: bytes.count, by: 7) {
            do { _ = try OTLPTraceDecoder.decode(protobuf: bytes.prefix(length)) } catch { failures += 1 }
        }
        #expect(failures > 0)
        #expect(throws: OTLPDecodingError.invalidProtobuf) { try OTLPTraceDecoder.decode(protobuf: [0xFF, 0xFF, 0xFF]) }
    }

    @Test func malformedJSONThrows() {
        for body in [
            "", "{", "[]", #"{"resourceSpans":{}}"#, #"{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}"#,
            String(repeating: "[", count: 10_000), #"{"a":"\u12"}"#, "{} x",
        ] {
            #expect(throws: OTLPDecodingError.invalidJSON, "\(body.prefix(30))") { try OTLPTraceDecoder.decode(json: Array(body.utf8)) }
        }
    }

    @Test func unknownJSONFieldsAreIgnored() throws {
        let body =
            #"{"resourceSpans":[{"schemaUrl":"x","future":{"a":[1,2]},"scopeSpans":[{"spans":[{"traceId":"0000000000000000000000000000000a","spanId":"000000000000000b","name":"n","newField":true}]}]}]}"#
        let decoded = try OTLPTraceDecoder.decode(json: Array(body.utf8))
        #expect(decoded.spans.count == 1)
    }
}
