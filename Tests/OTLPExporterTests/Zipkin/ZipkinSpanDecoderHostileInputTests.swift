import TelemetryCore
import Testing

@testable import OTLPExporter

/// Bodies from the network that are not span lists: each is refused with a reason naming
/// what is wrong, and none traps.
@Suite("Zipkin v2 decoding of hostile input")
struct ZipkinSpanDecoderHostileInputTests {
    static let valid =
        #"[{"traceId":"5af7183fb1d4cf5f","id":"352bff9a74ca9ad2","kind":"CLIENT","name":"x","timestamp":10,"#
        + #""duration":5,"localEndpoint":{"serviceName":"a","ipv4":"10.0.0.1","port":1},"annotations":[{"timestamp":11,"value":"v"}],"# + #""tags":{"k":"v"}}]"#

    /// Replaces the valid span's member `key` (or adds it) and decodes.
    static func decodeWith(_ member: String) throws(ZipkinDecodingError) -> [TelemetrySpanData] {
        try ZipkinSpanDecoder.decode(json: Array((#"[{"traceId":"5af7183fb1d4cf5f","id":"352bff9a74ca9ad2","# + member + "}]").utf8))
    }

    @Test("a body that is not an array of span objects is refused", arguments: ["{}", #""spans""#, "null", "42", "[1]", "[[]]", "", "   "])
    func notAnArray(body: String) {
        let error = #expect(throws: ZipkinDecodingError.self) { try ZipkinSpanDecoder.decode(json: Array(body.utf8)) }
        #expect(error == .invalidJSON)
        #expect(error?.description.isEmpty == false)
    }

    @Test(
        "wrong types are refused with the field's name",
        arguments: [
            (#""traceId":"1","id":true"#, "id"),
            (#""name":7"#, "name"),
            (#""kind":3"#, "kind"),
            (#""timestamp":"123""#, "timestamp"),
            (#""duration":-1"#, "duration"),
            (#""duration":1.5"#, "duration"),
            (#""debug":"yes""#, "debug"),
            (#""shared":1"#, "shared"),
            (#""localEndpoint":"svc""#, "localEndpoint"),
            (#""remoteEndpoint":{"port":70000}"#, "remoteEndpoint.port"),
            (#""localEndpoint":{"ipv4":"1.2.3"}"#, "localEndpoint.ipv4"),
            (#""localEndpoint":{"ipv4":"1.2.3.256"}"#, "localEndpoint.ipv4"),
            (#""remoteEndpoint":{"ipv6":"zz::1"}"#, "remoteEndpoint.ipv6"),
            (#""remoteEndpoint":{"ipv6":"1:2:3:4:5:6:7:8:9"}"#, "remoteEndpoint.ipv6"),
            (#""remoteEndpoint":{"serviceName":["a"]}"#, "remoteEndpoint.serviceName"),
            (#""tags":{"http.status_code":500}"#, "tags.http.status_code"),
            (#""tags":{"nested":{"a":"b"}}"#, "tags.nested"),
            (#""tags":["a"]"#, "tags"),
            (#""annotations":{}"#, "annotations"),
            (#""annotations":[{"value":"no time"}]"#, "annotations[0].timestamp"),
            (#""annotations":["text"]"#, "annotations[0]"),
            (#""annotations":[{"timestamp":1,"value":2}]"#, "annotations[0].value"),
        ])
    func wrongTypes(member: String, field: String) {
        let error = #expect(throws: ZipkinDecodingError.self) { try Self.decodeWith(member) }
        #expect(error == .invalidJSON)
        #expect(error?.description.contains("span 0: \(field) ") == true, "\(error?.description ?? "")")
    }

    @Test(
        "malformed hex IDs are refused; zero IDs make the span unusable",
        arguments: [
            (#"[{"traceId":"xyz","id":"1"}]"#, ZipkinDecodingError.invalidJSON),
            (#"[{"traceId":"123456789012345678901234567890123","id":"1"}]"#, .invalidJSON),
            (#"[{"traceId":"","id":"1"}]"#, .invalidJSON),
            (#"[{"traceId":"1","id":"12345678901234567"}]"#, .invalidJSON),
            (#"[{"traceId":"1","id":"-1"}]"#, .invalidJSON),
            (#"[{"traceId":"1","id":"1","parentId":"zz"}]"#, .invalidJSON),
            (#"[{"traceId":"1"}]"#, .invalidJSON),
            (#"[{"id":"1"}]"#, .invalidJSON),
            (#"[{"traceId":"00000000000000000000000000000000","id":"1"}]"#, .invalidSpan),
            (#"[{"traceId":"1","id":"0000000000000000"}]"#, .invalidSpan),
        ])
    func badIDs(body: String, expected: ZipkinDecodingError) {
        #expect(throws: expected) { try ZipkinSpanDecoder.decode(json: Array(body.utf8)) }
    }

    @Test(
        "numbers past 64 bits, or past 64-bit nanoseconds, are refused rather than wrapped",
        arguments: [
            (#""timestamp":18446744073709551616"#, ZipkinDecodingError.invalidJSON),
            (#""timestamp":1e30"#, .invalidJSON),
            (#""duration":-0.5"#, .invalidJSON),
            (#""timestamp":18446744073709551615"#, .invalidSpan),
            (#""timestamp":18446744073709551,"duration":18446744073709551"#, .invalidSpan),
            (#""annotations":[{"timestamp":18446744073709551615,"value":"late"}]"#, .invalidSpan),
        ])
    func hugeNumbers(member: String, expected: ZipkinDecodingError) {
        #expect(throws: expected) { try Self.decodeWith(member) }
    }

    @Test("deep nesting is refused by the parser's depth limit, without exhausting the stack")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: ZipkinDecodingError.self) { try ZipkinSpanDecoder.decode(json: Array(deep.utf8)) }
        #expect(error == .invalidJSON)
        #expect(error?.description.contains("nesting") == true)
        // Deep JSON inside an annotation's text is only text: past the depth limit it is the
        // event's whole name.
        let value = String(repeating: #"{\"a\":"#, count: 200) + "1" + String(repeating: "}", count: 200)
        let spans = try Self.decodeWith(#""annotations":[{"timestamp":1,"value":"\#(value)"}]"#)
        #expect(spans.first?.events.first?.name == String(repeating: #"{"a":"#, count: 200) + "1" + String(repeating: "}", count: 200))
    }

    @Test("every truncation of a valid JSON body is refused")
    func truncatedJSON() throws {
        let bytes = Array(Self.valid.utf8)
        #expect(try ZipkinSpanDecoder.decode(json: bytes).count == 1)
        for length in 0..<bytes.count {
            #expect(throws: ZipkinDecodingError.self) { try ZipkinSpanDecoder.decode(json: bytes[..<length]) }
        }
    }

    static var validProtobuf: [UInt8] {
        var writer = ProtobufWriter(capacity: 128)
        writer.message(1) { span in
            span.idBytes(1, 1, 2)
            span.idBytes(3, nil, 3)
            span.string(5, "x")
            span.fixed64(6, 10)
            span.message(8) { $0.string(1, "a") }
            span.message(11) { entry in
                entry.string(1, "k")
                entry.string(2, "v")
            }
        }
        return writer.bytes
    }

    @Test("every truncation of a valid proto3 body is refused")
    func truncatedProtobuf() throws {
        let bytes = Self.validProtobuf
        #expect(try ZipkinSpanDecoder.decode(protobuf: bytes).count == 1)
        for length in 1..<bytes.count {
            #expect(throws: ZipkinDecodingError.self) { try ZipkinSpanDecoder.decode(protobuf: bytes[..<length]) }
        }
    }

    @Test(
        "proto3 fields of the wrong wire type or size are refused",
        arguments: [
            [UInt8]([0x0A, 0x02, 0x08, 0x01]),  // trace_id as a varint
            [0x0A, 0x07, 0x0A, 0x05, 1, 2, 3, 4, 5],  // trace_id of 5 bytes
            [0x0A, 0x0C, 0x0A, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0x1A, 0x00],  // id of 0 bytes
            [0x0A, 0x06, 0x42, 0x04, 0x12, 0x02, 1, 2],  // local_endpoint.ipv4 of 2 bytes
            [0x0A, 0x04, 0x42, 0x02, 0x20, 0x7F],  // fine port but no IDs
            [0x08, 0x01],  // spans as a varint
            [0x0A, 0x05, 0x2A, 0x03, 0xFF, 0xFE, 0xFD],  // name not UTF-8
        ])
    func wrongWireTypes(body: [UInt8]) {
        #expect(throws: ZipkinDecodingError.self) { try ZipkinSpanDecoder.decode(protobuf: body) }
    }

    @Test("valid bodies with bytes flipped, inserted or cut never trap")
    func mutatedBodies() {
        // Seeded, so a trap found here reproduces; mutating valid bodies reaches past the
        // first byte, which random bytes almost never do.
        var generator = SplitMix64(seed: 0x5A1B_C0DE)
        let seeds = [Array(Self.valid.utf8), Self.validProtobuf]
        for round in 0..<4000 {
            var body = seeds[round % 2]
            for _ in 0...Int.random(in: 0...3, using: &generator) where !body.isEmpty {
                let position = Int.random(in: 0..<body.count, using: &generator)
                switch Int.random(in: 0...2, using: &generator) {
                case 0: body[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: body.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                default: body.removeSubrange(position..<min(body.count, position + Int.random(in: 1...8, using: &generator)))
                }
            }
            _ = try? ZipkinSpanDecoder.decode(protobuf: body)
            _ = try? ZipkinSpanDecoder.decode(json: body)
        }
    }
}
