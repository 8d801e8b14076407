import Testing

@testable import TelemetryHTTPExport

/// The snappy block codec against vectors worked out by hand from the format description,
/// round trips of random and repetitive input, and hostile blocks.
@Suite struct SnappyTests {
    /// Worked by hand: the length varint, then elements. `aaaaaaaaaa` is the literal `a` and a
    /// copy of 9 bytes at offset 1 (tag `01`, length-4 = 5 in bits 2-4: 0x15, offset byte 1).
    @Test(arguments: [
        ([UInt8](), [UInt8]([0x00])),
        (Array("a".utf8), [0x01, 0x00, 0x61]),
        (Array("aaaaaaaaaa".utf8), [0x0a, 0x00, 0x61, 0x15, 0x01]),
    ])
    func compressesToTheHandWorkedBlock(input: [UInt8], block: [UInt8]) throws {
        #expect(Snappy.compress(input) == block)
        #expect(try Snappy.decompress(block, limit: 100) == input)
    }

    /// Forms our encoder does not write but any encoder may: 2- and 4-byte offsets, a literal
    /// with a one-byte length, an overlapping copy.
    @Test func decodesEveryElementForm() throws {
        let abcd = Array("abcd".utf8)
        // Literal of 4 (tag 3<<2), copy-2 of 4 at offset 4 (tag 0b10 | 3<<2).
        #expect(try Snappy.decompress([0x08, 0x0c] + abcd + [0x0e, 0x04, 0x00], limit: 100) == abcd + abcd)
        // The same with a 4-byte offset (tag 0b11 | 3<<2).
        #expect(try Snappy.decompress([0x08, 0x0c] + abcd + [0x0f, 0x04, 0x00, 0x00, 0x00], limit: 100) == abcd + abcd)
        // A 100-byte literal: tag 60<<2, then length-1 = 99 in one byte.
        let hundred = (0..<100).map { UInt8($0) }
        #expect(try Snappy.decompress([100, 0xf0, 99] + hundred, limit: 1000) == hundred)
        // Copy-1 of 8 at offset 2 overlapping itself: "ab" then "abababab".
        #expect(try Snappy.decompress([10, 0x04, 0x61, 0x62, 0x11, 0x02], limit: 100) == Array("ababababab".utf8))
    }

    @Test(arguments: [0, 1, 3, 4, 100, 65_535, 65_536, 65_537, 300_000])
    func roundTripsRandomInput(count: Int) throws {
        var generator = SplitMix(seed: UInt64(count))
        let input = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect(try Snappy.decompress(Snappy.compress(input), limit: count) == input)
    }

    @Test(arguments: [10, 1000, 70_000, 300_000])
    func roundTripsAndShrinksRepetitiveInput(count: Int) throws {
        let text = Array("traces_span_metrics_calls_total{service_name=\"checkout\",span_kind=\"SPAN_KIND_SERVER\"} 42\n".utf8)
        let input = (0..<count).map { text[$0 % text.count] }
        let block = Snappy.compress(input)
        #expect(try Snappy.decompress(block, limit: count) == input)
        if count >= 1000 { #expect(block.count * 5 < input.count) }
    }

    @Test(arguments: [
        ("past the limit", [UInt8]([0xe8, 0x07, 0x00, 0x61])),
        ("offset zero", [0x05, 0x00, 0x61, 0x01, 0x00]),
        ("offset before the start", [0x05, 0x00, 0x61, 0x01, 0x02]),
        ("truncated literal", [0x03, 0x08, 0x61]),
        ("shorter than announced", [0x03, 0x00, 0x61]),
        ("longer than announced", [0x01, 0x04, 0x61, 0x62]),
        ("unterminated preamble", [0x80, 0x80]),
        ("copy past the announced length", [0x03, 0x00, 0x61, 0x15, 0x01]),
        ("truncated copy", [0x05, 0x00, 0x61, 0x0e, 0x01]),
    ])
    func refusesAHostileBlock(_ name: String, block: [UInt8]) {
        #expect(throws: Snappy.DecodingError.self, "\(name)") { try Snappy.decompress(block, limit: 100) }
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}
