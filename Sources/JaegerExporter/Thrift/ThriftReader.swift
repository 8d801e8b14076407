/// Reads thrift binary-protocol values from a byte array, checking every length against
/// the bytes that remain before trusting it.
struct ThriftReader: ~Copyable {
    private let bytes: [UInt8]
    private(set) var offset: Int
    /// Nested structs and containers allowed while skipping unknown fields.
    static let maximumDepth = 32

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    private mutating func need(_ count: Int, _ what: StaticString) throws(JaegerDecodingError) {
        guard count <= remaining else { throw .truncated(what, offset: offset) }
    }

    mutating func readByte(_ what: StaticString = "byte") throws(JaegerDecodingError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readI16(_ what: StaticString = "i16") throws(JaegerDecodingError) -> Int16 {
        try need(2, what)
        defer { offset += 2 }
        return Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
    }

    mutating func readI32(_ what: StaticString = "i32") throws(JaegerDecodingError) -> Int32 {
        try need(4, what)
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[offset + i]) }
        offset += 4
        return Int32(bitPattern: value)
    }

    mutating func readI64(_ what: StaticString = "i64") throws(JaegerDecodingError) -> Int64 {
        try need(8, what)
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        offset += 8
        return Int64(bitPattern: value)
    }

    mutating func readDouble(_ what: StaticString = "double") throws(JaegerDecodingError) -> Double {
        Double(bitPattern: UInt64(bitPattern: try readI64(what)))
    }

    mutating func readBool(_ what: StaticString = "bool") throws(JaegerDecodingError) -> Bool {
        try readByte(what) != 0
    }

    /// A string or binary: an i32 length, bounded by what remains, then the bytes.
    mutating func readBinary(_ what: StaticString = "string") throws(JaegerDecodingError) -> ArraySlice<UInt8> {
        let length = Int(try readI32(what))
        guard length >= 0 else { throw .negativeLength(what, offset: offset - 4) }
        try need(length, what)
        defer { offset += length }
        return bytes[offset..<offset + length]
    }

    mutating func readString(_ what: StaticString = "string") throws(JaegerDecodingError) -> String {
        String(decoding: try readBinary(what), as: UTF8.self)
    }

    /// A field header; `nil` at the struct's stop byte.
    mutating func readFieldHeader() throws(JaegerDecodingError) -> (type: ThriftType, id: Int16)? {
        let raw = try readByte("field type")
        guard let type = ThriftType(rawValue: raw) else { throw .unknownType(raw, offset: offset - 1) }
        if type == .stop { return nil }
        return (type, try readI16("field id"))
    }

    /// A list header whose count is checked against the bytes that remain.
    mutating func readListHeader(_ what: StaticString) throws(JaegerDecodingError) -> (type: ThriftType, count: Int) {
        let raw = try readByte(what)
        guard let type = ThriftType(rawValue: raw), type != .stop else { throw .unknownType(raw, offset: offset - 1) }
        let count = Int(try readI32(what))
        guard count >= 0 else { throw .negativeLength(what, offset: offset - 4) }
        guard count <= remaining / max(type.minimumEncodedSize, 1) else {
            throw .countExceedsInput(what, count: count, offset: offset - 4)
        }
        return (type, count)
    }

    /// Skips a value of `type`, recursing into containers and structs at most `maximumDepth` deep.
    mutating func skip(_ type: ThriftType, depth: Int = 0) throws(JaegerDecodingError) {
        guard depth < Self.maximumDepth else { throw .nestingTooDeep(offset: offset) }
        switch type {
        case .stop: return
        case .bool, .byte, .double, .i16, .i32, .i64:
            try need(type.minimumEncodedSize, "skipped field")
            offset += type.minimumEncodedSize
        case .string:
            _ = try readBinary("skipped string")
        case .struct:
            while let field = try readFieldHeader() { try skip(field.type, depth: depth + 1) }
        case .list, .set:
            let header = try readListHeader("skipped list")
            for _ in 0..<header.count { try skip(header.type, depth: depth + 1) }
        case .map:
            let keyRaw = try readByte("map key type")
            let valueRaw = try readByte("map value type")
            guard let keyType = ThriftType(rawValue: keyRaw), keyType != .stop else { throw .unknownType(keyRaw, offset: offset - 2) }
            guard let valueType = ThriftType(rawValue: valueRaw), valueType != .stop else { throw .unknownType(valueRaw, offset: offset - 1) }
            let count = Int(try readI32("map size"))
            guard count >= 0 else { throw .negativeLength("map size", offset: offset - 4) }
            let pairSize = max(keyType.minimumEncodedSize + valueType.minimumEncodedSize, 1)
            guard count <= remaining / pairSize else { throw .countExceedsInput("map size", count: count, offset: offset - 4) }
            for _ in 0..<count {
                try skip(keyType, depth: depth + 1)
                try skip(valueType, depth: depth + 1)
            }
        }
    }
}
