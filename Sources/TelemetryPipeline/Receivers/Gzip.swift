/// A gzip (RFC 1952) and DEFLATE (RFC 1951) decoder, so the receivers accept
/// `Content-Encoding: gzip` without linking zlib. Output is bounded: a small body cannot
/// inflate into more than `limit` bytes.
enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        var position = 0
        repeat {
            position = try member(input, from: position, into: &output, limit: limit)
        } while position < input.count && input[position] == 0x1F
        return output
    }

    /// Decodes one gzip member starting at `start`; returns where the next one starts.
    private static func member(_ input: [UInt8], from start: Int, into output: inout [UInt8], limit: Int) throws -> Int {
        guard input.count - start >= 18, input[start] == 0x1F, input[start + 1] == 0x8B else { throw Failure("not a gzip stream") }
        guard input[start + 2] == 8 else { throw Failure("unknown compression method") }
        let flags = input[start + 3]
        var position = start + 10
        if flags & 4 != 0 {
            guard position + 2 <= input.count else { throw Failure("truncated header") }
            position += 2 + (Int(input[position]) | Int(input[position + 1]) << 8)
        }
        for flag: UInt8 in [8, 16] where flags & flag != 0 {
            while position < input.count, input[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 2 != 0 { position += 2 }
        guard position < input.count else { throw Failure("truncated header") }
        let outputStart = output.count
        var inflater = Inflater(input: input, position: position, limit: limit)
        try inflater.run(into: &output)
        position = inflater.bytePosition
        guard position + 8 <= input.count else { throw Failure("truncated trailer") }
        let crc = UInt32(input[position]) | UInt32(input[position + 1]) << 8 | UInt32(input[position + 2]) << 16
            | UInt32(input[position + 3]) << 24
        let size = UInt32(input[position + 4]) | UInt32(input[position + 5]) << 8 | UInt32(input[position + 6]) << 16
            | UInt32(input[position + 7]) << 24
        guard size == UInt32(truncatingIfNeeded: output.count - outputStart) else { throw Failure("length mismatch") }
        guard crc == CRC32.checksum(output[outputStart...]) else { throw Failure("checksum mismatch") }
        return position + 8
    }
}

private struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    init(lengths: ArraySlice<Int>) throws {
        symbols = [Int](repeating: 0, count: lengths.count)
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left <<= 1
            left -= counts[length]
            if left < 0 { throw Gzip.Failure("over-subscribed code") }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }
}

private struct Inflater {
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
        12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    let input: [UInt8]
    var bytePosition: Int
    let limit: Int
    var bitBuffer = 0
    var bitCount = 0

    init(input: [UInt8], position: Int, limit: Int) {
        self.input = input
        self.bytePosition = position
        self.limit = limit
    }

    mutating func bits(_ count: Int) throws -> Int {
        while bitCount < count {
            guard bytePosition < input.count else { throw Gzip.Failure("truncated deflate stream") }
            bitBuffer |= Int(input[bytePosition]) << bitCount
            bytePosition += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << count) - 1)
        bitBuffer >>= count
        bitCount -= count
        return value
    }

    mutating func decode(_ table: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            code |= try bits(1)
            let count = table.counts[length]
            if code - count < first { return table.symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw Gzip.Failure("invalid Huffman code")
    }

    mutating func run(into output: inout [UInt8]) throws {
        let start = output.count
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored(into: &output, start: start)
            case 1: try codes(into: &output, start: start, Self.fixedLiterals, Self.fixedDistances)
            case 2: try dynamic(into: &output, start: start)
            default: throw Gzip.Failure("invalid block type")
            }
        } while last == 0
        bitBuffer = 0
        bitCount = 0
    }

    mutating func stored(into output: inout [UInt8], start: Int) throws {
        bitBuffer = 0
        bitCount = 0
        guard bytePosition + 4 <= input.count else { throw Gzip.Failure("truncated stored block") }
        let length = Int(input[bytePosition]) | Int(input[bytePosition + 1]) << 8
        let complement = Int(input[bytePosition + 2]) | Int(input[bytePosition + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw Gzip.Failure("corrupt stored block") }
        bytePosition += 4
        guard bytePosition + length <= input.count else { throw Gzip.Failure("truncated stored block") }
        guard output.count - start + length <= limit else { throw Gzip.Failure("inflated body exceeds \(limit) bytes") }
        output += input[bytePosition..<bytePosition + length]
        bytePosition += length
    }

    static let fixedLiterals: Huffman = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return try! Huffman(lengths: lengths[...])
    }()
    static let fixedDistances = try! Huffman(lengths: [Int](repeating: 5, count: 30)[...])

    mutating func dynamic(into output: inout [UInt8], start: Int) throws {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw Gzip.Failure("bad code counts") }
        var lengths = [Int](repeating: 0, count: 320)
        for index in 0..<codeCount { lengths[Self.order[index]] = try bits(3) }
        let lengthCode = try Huffman(lengths: lengths[0..<19])
        var index = 0
        while index < literalCount + distanceCount {
            var symbol = try decode(lengthCode)
            if symbol < 16 {
                lengths[index] = symbol
                index += 1
                continue
            }
            var value = 0
            if symbol == 16 {
                guard index > 0 else { throw Gzip.Failure("repeat with no previous length") }
                value = lengths[index - 1]
                symbol = 3 + (try bits(2))
            } else if symbol == 17 {
                symbol = 3 + (try bits(3))
            } else {
                symbol = 11 + (try bits(7))
            }
            guard index + symbol <= literalCount + distanceCount else { throw Gzip.Failure("too many lengths") }
            for _ in 0..<symbol {
                lengths[index] = value
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw Gzip.Failure("no end-of-block code") }
        let literals = try Huffman(lengths: lengths[0..<literalCount])
        let distances = try Huffman(lengths: lengths[literalCount..<(literalCount + distanceCount)])
        try codes(into: &output, start: start, literals, distances)
    }

    mutating func codes(into output: inout [UInt8], start: Int, _ literals: Huffman, _ distances: Huffman) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard output.count - start < limit else { throw Gzip.Failure("inflated body exceeds \(limit) bytes") }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < 29 else { throw Gzip.Failure("invalid length symbol") }
                let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < 30 else { throw Gzip.Failure("invalid distance symbol") }
                let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                guard distance <= output.count - start else { throw Gzip.Failure("distance too far back") }
                guard output.count - start + length <= limit else { throw Gzip.Failure("inflated body exceeds \(limit) bytes") }
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
