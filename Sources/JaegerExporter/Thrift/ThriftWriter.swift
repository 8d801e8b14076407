/// Appends thrift binary-protocol values to one growing byte buffer.
///
/// Only what jaeger.thrift needs: field headers, scalars, strings and list headers.
/// Structs are written inline by their callers, ending with `writeStop()`.
struct ThriftWriter {
    var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func writeFieldHeader(_ type: ThriftType, id: Int16) {
        bytes.append(type.rawValue)
        writeI16Raw(id)
    }

    @inline(__always)
    mutating func writeStop() {
        bytes.append(ThriftType.stop.rawValue)
    }

    @inline(__always)
    mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        bytes.append(elementType.rawValue)
        writeI32Raw(Int32(truncatingIfNeeded: count))
    }

    @inline(__always)
    mutating func writeI16Raw(_ value: Int16) {
        let v = UInt16(bitPattern: value)
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    @inline(__always)
    mutating func writeI32Raw(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func writeI64Raw(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func writeStringRaw(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeI32Raw(Int32(truncatingIfNeeded: utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func writeI32(_ value: Int32, id: Int16) {
        writeFieldHeader(.i32, id: id)
        writeI32Raw(value)
    }

    mutating func writeI64(_ value: Int64, id: Int16) {
        writeFieldHeader(.i64, id: id)
        writeI64Raw(value)
    }

    mutating func writeDouble(_ value: Double, id: Int16) {
        writeFieldHeader(.double, id: id)
        writeI64Raw(Int64(bitPattern: value.bitPattern))
    }

    mutating func writeBool(_ value: Bool, id: Int16) {
        writeFieldHeader(.bool, id: id)
        bytes.append(value ? 1 : 0)
    }

    mutating func writeString(_ value: String, id: Int16) {
        writeFieldHeader(.string, id: id)
        writeStringRaw(value)
    }
}
