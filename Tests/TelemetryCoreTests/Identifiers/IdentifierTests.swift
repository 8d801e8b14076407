import Testing

@testable import TelemetryCore

@Suite struct IdentifierTests {
    @Test func traceIDHexRoundTrip() throws {
        let id = try #require(TraceID(hexString: "4bf92f3577b34da6a3ce929d0e0e4736"))
        #expect(id.high == 0x4bf9_2f35_77b3_4da6)
        #expect(id.low == 0xa3ce_929d_0e0e_4736)
        #expect(id.hexString == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceID(bytes: id.bytes) == id)
        #expect(TraceID(hexString: "4BF92F3577B34DA6A3CE929D0E0E4736") == id)
    }

    @Test(arguments: ["", "4bf92f3577b34da6a3ce929d0e0e473", "4bf92f3577b34da6a3ce929d0e0e47366", "4bf92f3577b34da6a3ce929d0e0e473g"])
    func traceIDRejectsMalformedHex(_ text: String) {
        #expect(TraceID(hexString: text) == nil)
    }

    @Test func spanIDHexRoundTrip() throws {
        let id = try #require(SpanID(hexString: "00f067aa0ba902b7"))
        #expect(id.rawValue == 0x00f0_67aa_0ba9_02b7)
        #expect(id.hexString == "00f067aa0ba902b7")
        #expect(SpanID(bytes: id.bytes) == id)
        #expect(SpanID(hexString: "00f067aa0ba902b") == nil)
        #expect(!SpanID.invalid.isValid)
        #expect(!TraceID.invalid.isValid)
    }
}
