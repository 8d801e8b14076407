/// A minimal protobuf wire-format reader: enough to walk OTLP messages field by field.
struct ProtobufReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// The next field number and value, or `nil` at the end.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard position < bytes.endIndex else { return nil }
        let key = try varint()
        let field = Int(key >> 3)
        guard field > 0 else { throw Malformed("field number 0") }
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - position) else { throw Malformed("length \(length) past the end") }
            let slice = bytes[position..<(position + Int(length))]
            position += Int(length)
            return (field, .bytes(slice))
        case 5: return (field, .fixed32(UInt32(try fixed(4))))
        default: throw Malformed("unsupported wire type \(key & 7)")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.endIndex else { throw Malformed("truncated varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw Malformed("varint too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func fixed(_ count: Int) throws -> UInt64 {
        guard bytes.endIndex - position >= count else { throw Malformed("truncated fixed field") }
        var result: UInt64 = 0
        for i in 0..<count { result |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += count
        return result
    }
}

extension ProtobufReader.Value {
    var slice: ArraySlice<UInt8>? {
        if case .bytes(let slice) = self { return slice }
        return nil
    }

    var string: String? {
        guard case .bytes(let slice) = self else { return nil }
        return String(validating: slice, as: UTF8.self)
    }

    var integer: UInt64? {
        switch self {
        case .varint(let value), .fixed64(let value): value
        case .fixed32(let value): UInt64(value)
        case .bytes: nil
        }
    }
}
