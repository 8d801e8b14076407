/// Snappy's block format (not the framing format), as Prometheus remote write sends bodies.
///
/// Written from the published format description rather than linking libsnappy: no C library
/// or system package on every machine the pipeline is deployed to, a few hundred lines, and
/// the decoder is fuzzed like the project's other decoders. A block is the uncompressed length
/// as a varint, then elements: literals (tag `00`) and copies of earlier output with a 1-byte
/// (`01`), 2-byte (`10`) or 4-byte (`11`) little-endian offset.
package enum Snappy {
    /// Why a block could not be decoded.
    package struct DecodingError: Error, Hashable, CustomStringConvertible {
        package let description: String
    }

    /// Bytes the encoder matches within; offsets then fit a 2-byte copy.
    static let blockSize = 1 << 16
    static let hashBits = 14

    /// Compresses `input` into one block.
    package static func compress(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + input.count + input.count / 6)
        var length = UInt64(input.count)
        while length >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.append(UInt8(length))
        input.withUnsafeBufferPointer { bytes in
            var table = [Int32](repeating: -1, count: 1 << hashBits)
            var start = 0
            while start < bytes.count {
                let end = min(start + blockSize, bytes.count)
                compressBlock(bytes, start: start, end: end, table: &table, into: &out)
                start = end
            }
        }
        return out
    }

    /// Finds 4-byte matches through a hash table of recent positions and emits literals between
    /// them; the table is per block, so every offset is below 64 KiB.
    private static func compressBlock(
        _ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, table: inout [Int32], into out: inout [UInt8]
    ) {
        for index in table.indices { table[index] = -1 }
        var literalStart = start
        var position = start
        // After many misses the search steps faster, so incompressible input stays cheap.
        var misses = 32
        while position + 4 <= end {
            let word = load32(bytes, position)
            let slot = Int((word &* 0x1e35_a7bd) >> UInt32(32 - hashBits))
            let candidate = Int(table[slot])
            table[slot] = Int32(position - start)
            let earlier = candidate + start
            guard candidate >= 0, earlier < position, load32(bytes, earlier) == word else {
                position += misses >> 5
                misses += 1
                continue
            }
            misses = 32
            var matchEnd = position + 4
            while matchEnd < end, bytes[matchEnd] == bytes[matchEnd - position + earlier] { matchEnd += 1 }
            emitLiteral(bytes, from: literalStart, to: position, into: &out)
            emitCopy(offset: position - earlier, length: matchEnd - position, into: &out)
            position = matchEnd
            literalStart = position
        }
        emitLiteral(bytes, from: literalStart, to: end, into: &out)
    }

    private static func load32(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func emitLiteral(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into out: inout [UInt8]) {
        guard to > from else { return }
        let n = to - from - 1
        if n < 60 {
            out.append(UInt8(n << 2))
        } else {
            // 60...63: the length minus one follows in 1...4 little-endian bytes.
            let extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4
            out.append(UInt8((59 + extra) << 2))
            for byte in 0..<extra { out.append(UInt8(truncatingIfNeeded: n >> (8 * byte))) }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<to]))
    }

    /// Copies of at most 64 bytes each; a 1-byte-offset copy when it fits (length 4...11,
    /// offset below 2048), otherwise a 2-byte one.
    private static func emitCopy(offset: Int, length: Int, into out: inout [UInt8]) {
        var remaining = length
        while remaining > 0 {
            // Leave at least 4 for the last piece, so it can still use the short form.
            let piece = remaining > 64 ? (remaining - 64 < 4 ? 60 : 64) : remaining
            if (4...11).contains(piece), offset < 2048 {
                out.append(UInt8(0b01 | (piece - 4) << 2 | (offset >> 8) << 5))
                out.append(UInt8(truncatingIfNeeded: offset))
            } else {
                out.append(UInt8(0b10 | (piece - 1) << 2))
                out.append(UInt8(truncatingIfNeeded: offset))
                out.append(UInt8(truncatingIfNeeded: offset >> 8))
            }
            remaining -= piece
        }
    }

    /// The uncompressed length a block announces, without decoding it.
    package static func decodedLength(_ block: [UInt8]) throws(DecodingError) -> Int {
        try preamble(block).length
    }

    private static func preamble(_ block: [UInt8]) throws(DecodingError) -> (length: Int, next: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = 0
        while true {
            guard index < block.count else { throw DecodingError(description: "snappy: truncated length preamble") }
            let byte = block[index]
            index += 1
            guard shift < 35 else { throw DecodingError(description: "snappy: length preamble too long") }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard value <= UInt64(UInt32.max) else { throw DecodingError(description: "snappy: length \(value) exceeds 2^32-1") }
        return (Int(value), index)
    }

    /// Decompresses one block; refuses one announcing more than `limit` bytes, and any copy
    /// reaching before the start of the output or past the announced length.
    package static func decompress(_ block: [UInt8], limit: Int) throws(DecodingError) -> [UInt8] {
        let (length, first) = try preamble(block)
        guard length <= limit else { throw DecodingError(description: "snappy: block of \(length) bytes exceeds the limit \(limit)") }
        var out: [UInt8] = []
        out.reserveCapacity(length)
        var index = first
        while index < block.count {
            let tag = block[index]
            index += 1
            switch tag & 0b11 {
            case 0:
                var n = Int(tag >> 2)
                if n >= 60 {
                    let extra = n - 59
                    guard index + extra <= block.count else { throw DecodingError(description: "snappy: truncated literal length") }
                    n = 0
                    for byte in 0..<extra { n |= Int(block[index + byte]) << (8 * byte) }
                    index += extra
                }
                let count = n + 1
                guard count <= block.count - index else { throw DecodingError(description: "snappy: literal past the end of input") }
                guard count <= length - out.count else { throw DecodingError(description: "snappy: literal past the announced length") }
                out.append(contentsOf: block[index..<index + count])
                index += count
            case let kind:
                let count: Int
                var offset = 0
                let width = kind == 1 ? 1 : kind == 2 ? 2 : 4
                guard index + width <= block.count else { throw DecodingError(description: "snappy: truncated copy") }
                if kind == 1 {
                    count = Int(tag >> 2 & 0b111) + 4
                    offset = Int(tag >> 5) << 8 | Int(block[index])
                } else {
                    count = Int(tag >> 2) + 1
                    for byte in 0..<width { offset |= Int(block[index + byte]) << (8 * byte) }
                }
                index += width
                guard offset > 0, offset <= out.count else { throw DecodingError(description: "snappy: copy offset \(offset) out of range") }
                guard count <= length - out.count else { throw DecodingError(description: "snappy: copy past the announced length") }
                // Byte by byte: a copy may overlap the bytes it produces (offset < count).
                let from = out.count - offset
                for step in 0..<count { out.append(out[from + step]) }
            }
        }
        guard out.count == length else {
            throw DecodingError(description: "snappy: decoded \(out.count) bytes, the block announced \(length)")
        }
        return out
    }
}
