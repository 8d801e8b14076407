/// Reads protobuf wire-format fields from a borrowed byte buffer, one field at a time.
///
/// The counterpart of `ProtobufWriter`: nested messages are sub-readers over a range of the
/// same buffer, so decoding a request copies bytes only into the strings it keeps. It
/// accepts and refuses what swift-protobuf's binary decoder does (tags, varints, group
/// skipping, UTF-8, nesting depth), so both paths agree on every input.
struct ProtobufReader {
    /// The wire types of protobuf's encoding.
    enum WireType {
        static let varint: UInt8 = 0
        static let fixed64: UInt8 = 1
        static let lengthDelimited: UInt8 = 2
        static let startGroup: UInt8 = 3
        static let endGroup: UInt8 = 4
        static let fixed32: UInt8 = 5
    }

    /// Nested messages allowed below the top-level one, as swift-protobuf's default.
    static let depthLimit = 100

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int
    /// Messages enclosing this one.
    let depth: Int
    /// Strings already read from this buffer, shared by every nested reader; borrowed for
    /// the decode's duration.
    let strings: UnsafeMutablePointer<ProtobufStringTable>?

    init(_ bytes: UnsafeBufferPointer<UInt8>, strings: UnsafeMutablePointer<ProtobufStringTable>? = nil) {
        self.init(bytes, range: 0..<bytes.count, depth: 0, strings: strings)
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, depth: Int, strings: UnsafeMutablePointer<ProtobufStringTable>?) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.depth = depth
        self.strings = strings
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type; `nil` at the end of the message.
    @inline(__always)
    mutating func nextField() throws(ProtobufReadError) -> (number: UInt32, wireType: UInt8)? {
        guard position < end else { return nil }
        let first = bytes[position]
        if first & 0x80 == 0 {
            position += 1
            return try Self.validated(UInt32(first))
        }
        return try Self.validated(longTag())
    }

    /// A tag of two to five bytes; the fifth may carry only the top four bits of 32.
    private mutating func longTag() throws(ProtobufReadError) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        for index in 0..<5 {
            guard position < end else { throw .malformed }
            let byte = bytes[position]
            position += 1
            if index == 4, byte > 15 { throw .malformed }
            value |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return value
    }

    @inline(__always)
    private static func validated(_ tag: UInt32) throws(ProtobufReadError) -> (number: UInt32, wireType: UInt8) {
        let wireType = UInt8(tag & 7)
        let number = tag >> 3
        // Wire types 6 and 7 do not exist; an end-group tag outside a group is malformed.
        guard number != 0, wireType <= WireType.fixed32, wireType != WireType.endGroup else { throw .malformed }
        return (number, wireType)
    }

    @inline(__always)
    mutating func varint() throws(ProtobufReadError) -> UInt64 {
        guard position < end else { throw .truncated }
        let first = bytes[position]
        position += 1
        if first & 0x80 == 0 { return UInt64(first) }
        var value = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            guard position < end, shift <= 63 else { throw .malformed }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) &<< shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    @inline(__always)
    mutating func fixed64() throws(ProtobufReadError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated }
        let value = UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    @inline(__always)
    mutating func fixed32() throws(ProtobufReadError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated }
        let value = UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// The body of a length-delimited field, as a range of `bytes`.
    @inline(__always)
    mutating func lengthDelimited() throws(ProtobufReadError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw .truncated }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// The body of a length-delimited field as a buffer.
    @inline(__always)
    mutating func bytesField() throws(ProtobufReadError) -> UnsafeBufferPointer<UInt8> {
        let range = try lengthDelimited()
        return UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// A nested message's reader.
    @inline(__always)
    mutating func message() throws(ProtobufReadError) -> ProtobufReader {
        let range = try lengthDelimited()
        return try nested(range)
    }

    /// A reader over a message body found earlier (see `lengthDelimited()`).
    func nested(_ range: Range<Int>) throws(ProtobufReadError) -> ProtobufReader {
        guard depth < Self.depthLimit else { throw .tooDeep }
        return ProtobufReader(bytes, range: range, depth: depth + 1, strings: strings)
    }

    /// A UTF-8 string field; invalid UTF-8 is an error, as in swift-protobuf.
    @inline(__always)
    mutating func string() throws(ProtobufReadError) -> String {
        let body = try bytesField()
        if body.isEmpty { return "" }
        let string = if let strings { strings.pointee.string(body) } else { ProtobufStringTable.make(body) }
        guard let string else { throw .invalidUTF8 }
        return string
    }

    /// Checks a string field's UTF-8 without keeping it.
    mutating func skipString() throws(ProtobufReadError) {
        let body = try bytesField()
        guard ProtobufStringTable.make(body) != nil else { throw .invalidUTF8 }
    }

    /// Skips a field's value; groups up to their matching end tag.
    mutating func skip(_ wireType: UInt8, number: UInt32) throws(ProtobufReadError) {
        switch wireType {
        case WireType.varint: _ = try varint()
        case WireType.fixed64: _ = try fixed64()
        case WireType.lengthDelimited: _ = try lengthDelimited()
        case WireType.fixed32: _ = try fixed32()
        case WireType.startGroup: try skipGroup(number, depth: depth + 1)
        default: throw .malformed
        }
    }

    private mutating func skipGroup(_ number: UInt32, depth: Int) throws(ProtobufReadError) {
        guard depth <= Self.depthLimit else { throw .tooDeep }
        while true {
            guard position < end else { throw .truncated }
            let tag = try varint()
            guard tag < UInt64(UInt32.max) else { throw .malformed }
            let wireType = UInt8(tag & 7)
            let inner = UInt32(tag >> 3)
            guard inner != 0, wireType <= WireType.fixed32 else { throw .malformed }
            if wireType == WireType.endGroup {
                guard inner == number else { throw .malformed }
                return
            }
            if wireType == WireType.startGroup {
                try skipGroup(inner, depth: depth + 1)
            } else {
                try skip(wireType, number: inner)
            }
        }
    }
}

/// Why protobuf bytes could not be read.
enum ProtobufReadError: Error, CustomStringConvertible {
    case truncated
    case malformed
    case invalidUTF8
    case tooDeep

    var description: String {
        switch self {
        case .truncated: "truncated field"
        case .malformed: "malformed field"
        case .invalidUTF8: "string field is not valid UTF-8"
        case .tooDeep: "messages nested deeper than \(ProtobufReader.depthLimit)"
        }
    }
}
