/// Appends protobuf wire-format fields to one byte buffer.
///
/// Nested messages reserve one length byte and shift their body only in the rare case it
/// needs more, so a whole request is written in one pass without intermediate messages.
package struct ProtobufWriter {
    package var bytes: [UInt8]

    package init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    package mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    package mutating func tag(_ field: UInt32, wireType: UInt8) {
        varint(UInt64(field << 3 | UInt32(wireType)))
    }

    /// A string field; proto3 omits empty ones.
    @inline(__always)
    package mutating func string(_ field: UInt32, _ value: String) {
        guard !value.isEmpty else { return }
        forceString(field, value)
    }

    /// A string field written even when empty (a oneof member).
    @inline(__always)
    package mutating func forceString(_ field: UInt32, _ value: String) {
        tag(field, wireType: 2)
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A varint field (uint32, int64, enum, bool); proto3 omits zero unless `force`.
    @inline(__always)
    package mutating func varintField(_ field: UInt32, _ value: UInt64, force: Bool = false) {
        guard value != 0 || force else { return }
        tag(field, wireType: 0)
        varint(value)
    }

    @inline(__always)
    package mutating func fixed64(_ field: UInt32, _ value: UInt64, force: Bool = false) {
        guard value != 0 || force else { return }
        tag(field, wireType: 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func fixed32(_ field: UInt32, _ value: UInt32) {
        guard value != 0 else { return }
        tag(field, wireType: 5)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A bytes field holding the big-endian 64-bit values, as trace and span IDs travel.
    @inline(__always)
    package mutating func idBytes(_ field: UInt32, _ high: UInt64?, _ low: UInt64) {
        tag(field, wireType: 2)
        varint(high == nil ? 8 : 16)
        if let high { withUnsafeBytes(of: high.bigEndian) { bytes.append(contentsOf: $0) } }
        withUnsafeBytes(of: low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A nested message whose fields `body` writes.
    @inline(__always)
    package mutating func message(_ field: UInt32, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, wireType: 2)
        let lengthPosition = bytes.count
        bytes.append(0)
        body(&self)
        let length = bytes.count - lengthPosition - 1
        if length < 0x80 {
            bytes[lengthPosition] = UInt8(length)
        } else {
            var prefix: [UInt8] = []
            var value = UInt64(length)
            while value >= 0x80 {
                prefix.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            prefix.append(UInt8(truncatingIfNeeded: value))
            bytes.replaceSubrange(lengthPosition..<lengthPosition + 1, with: prefix)
        }
    }
}
