import TelemetryCore
import TelemetryTesting
import Testing

@testable import JaegerExporter

@Suite struct JaegerThriftDecoderHostileInputTests {
    @Test func everyTruncationThrows() {
        let bytes = JaegerThriftEncoder.encode([SpanFixtures.full, SpanFixtures.root])
        for length in 0..<bytes.count {
            #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode(bytes.prefix(length)) }
        }
    }

    @Test func trailingBytesAreRejected() {
        let bytes = JaegerThriftEncoder.encode([SpanFixtures.root]) + [0x00]
        #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode(bytes) }
    }

    @Test func hugeListCountIsRejectedBeforeAllocating() {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeStop()
        writer.writeFieldHeader(.list, id: 2)
        writer.writeListHeader(.struct, count: Int(Int32.max))
        writer.writeStop()
        #expect(throws: JaegerDecodingError.impossibleLength) { try JaegerThriftDecoder.decode(writer.bytes) }
    }

    @Test func hugeStringLengthIsRejected() {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeFieldHeader(.string, id: 1)
        writer.writeI32Raw(Int32.max)
        #expect(throws: JaegerDecodingError.truncatedInput) { try JaegerThriftDecoder.decode(writer.bytes + [0, 0, 0]) }
    }

    @Test func negativeLengthsAreRejected() {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeFieldHeader(.string, id: 1)
        writer.writeI32Raw(-5)
        #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode(writer.bytes + [0, 0, 0, 0, 0, 0]) }
    }

    @Test func missingRequiredFieldsAreRejected() {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeStop()
        writer.writeStop()
        #expect(throws: JaegerDecodingError.requiredFieldMissing) { try JaegerThriftDecoder.decode(writer.bytes) }
        #expect(throws: JaegerDecodingError.truncatedInput) { try JaegerThriftDecoder.decode([UInt8]()) }
    }

    @Test func unknownFieldsAreSkipped() throws {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeString("svc", id: 1)
        writer.writeFieldHeader(.map, id: 9)  // unknown map<string, i32> with one entry
        writer.writeBytes([ThriftType.string.rawValue, ThriftType.i32.rawValue])
        writer.writeI32Raw(1)
        writer.writeStringRaw("k")
        writer.writeI32Raw(7)
        writer.writeStop()
        writer.writeI64(99, id: 3)  // Batch.seqNo in newer schemas
        writer.writeFieldHeader(.list, id: 2)
        writer.writeListHeader(.struct, count: 1)
        writer.writeI64(1, id: 1)
        writer.writeString("renamed", id: 42)  // unknown span field
        writer.writeI64(2, id: 3)
        writer.writeI32(1, id: 5)  // operationName with the wrong type: skipped
        writer.writeStop()
        writer.writeStop()
        let spans = try JaegerThriftDecoder.decode(writer.bytes)
        #expect(spans.count == 1)
        #expect(spans[0].spanID == SpanID(2))
        #expect(spans[0].name == "")
        #expect(spans[0].resource.serviceName == "svc")
    }

    @Test func deeplyNestedUnknownStructsAreRejected() {
        var writer = ThriftWriter()
        for _ in 0..<100 { writer.writeFieldHeader(.struct, id: 77) }
        for _ in 0..<101 { writer.writeStop() }
        #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode(writer.bytes) }
    }

    @Test func zeroIdentifiersAreRejected() {
        var span = SpanFixtures.root
        span.spanID = .invalid
        #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span])) }
    }

    @Test func unknownTypeTagIsRejected() {
        #expect(throws: JaegerDecodingError.self) { try JaegerThriftDecoder.decode([0x07, 0x00, 0x01]) }
    }
}
