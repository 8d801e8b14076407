import TelemetryCore
import Testing

@testable import JaegerExporter

@Suite struct JaegerThriftGoldenBytesTests {
    @Test func longTag() {
        var writer = ThriftWriter()
        writer.writeTag("n", .int(258))
        #expect(
            writer.bytes == [
                0x0B, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x6E,  // key: string "n"
                0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,  // vType: LONG
                0x0A, 0x00, 0x06, 0, 0, 0, 0, 0, 0, 0x01, 0x02,  // vLong: 258
                0x00,
            ])
    }

    @Test func boolAndDoubleTags() {
        var writer = ThriftWriter()
        writer.writeTag("b", .bool(true))
        writer.writeTag("d", .double(1.5))
        #expect(
            writer.bytes == [
                0x0B, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x62,
                0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
                0x02, 0x00, 0x05, 0x01,
                0x00,
                0x0B, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x64,
                0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
                0x04, 0x00, 0x04, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0,
                0x00,
            ])
    }

    @Test func followsFromReference() {
        var writer = ThriftWriter()
        writer.writeReference(.followsFrom, traceID: TraceID(high: 2, low: 1), spanID: SpanID(3))
        #expect(
            writer.bytes == [
                0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
                0x0A, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x01,
                0x0A, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x02,
                0x0A, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0x03,
                0x00,
            ])
    }

    @Test func emptyBatch() {
        let bytes = JaegerThriftEncoder.encode([])
        #expect(
            bytes == [
                0x0C, 0x00, 0x01,  // process
                0x0B, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0F,
            ] + Array("unknown_service".utf8) + [
                0x00,
                0x0F, 0x00, 0x02, 0x0C, 0x00, 0x00, 0x00, 0x00,  // spans: empty list of structs
                0x00,
            ])
    }
}
