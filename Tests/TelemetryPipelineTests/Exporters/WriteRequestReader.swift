/// A test-only reader of remote-write 1.0 `WriteRequest`s, written from the field numbers in
/// prometheus/prompb rather than sharing the encoder's code.
struct WriteRequestReader {
    struct Series: Equatable {
        var labels: [String: String] = [:]
        var labelOrder: [String] = []
        var value = 0.0
        var timestamp: Int64 = 0
    }

    struct Metadata: Equatable {
        var type: UInt64 = 0
        var family = ""
        var help = ""
    }

    var series: [Series] = []
    var metadata: [Metadata] = []

    init(_ bytes: [UInt8]) throws {
        for (field, payload) in try Self.fields(bytes[...]) {
            switch field {
            case 1:
                var entry = Series()
                for (inner, value) in try Self.fields(payload.bytes) {
                    if inner == 1 {
                        var name = ""
                        var text = ""
                        for (labelField, part) in try Self.fields(value.bytes) {
                            if labelField == 1 { name = String(decoding: part.bytes, as: UTF8.self) }
                            if labelField == 2 { text = String(decoding: part.bytes, as: UTF8.self) }
                        }
                        entry.labels[name] = text
                        entry.labelOrder.append(name)
                    } else if inner == 2 {
                        for (sampleField, part) in try Self.fields(value.bytes) {
                            if sampleField == 1 { entry.value = Double(bitPattern: part.number) }
                            if sampleField == 2 { entry.timestamp = Int64(bitPattern: part.number) }
                        }
                    }
                }
                series.append(entry)
            case 3:
                var entry = Metadata()
                for (inner, value) in try Self.fields(payload.bytes) {
                    switch inner {
                    case 1: entry.type = value.number
                    case 2: entry.family = String(decoding: value.bytes, as: UTF8.self)
                    case 4: entry.help = String(decoding: value.bytes, as: UTF8.self)
                    default: break
                    }
                }
                metadata.append(entry)
            default: break
            }
        }
    }

    struct Malformed: Error {}

    /// A field's payload: the number of a varint or fixed64, the bytes of a length-delimited one.
    struct Payload {
        var number: UInt64 = 0
        var bytes: ArraySlice<UInt8> = []
    }

    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(UInt64, Payload)] {
        var result: [(UInt64, Payload)] = []
        var index = bytes.startIndex
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.endIndex, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while index < bytes.endIndex {
            let key = try varint()
            var payload = Payload()
            switch key & 7 {
            case 0: payload.number = try varint()
            case 1:
                guard index + 8 <= bytes.endIndex else { throw Malformed() }
                for byte in 0..<8 { payload.number |= UInt64(bytes[index + byte]) << (8 * UInt64(byte)) }
                index += 8
            case 2:
                let count = Int(try varint())
                guard count <= bytes.endIndex - index else { throw Malformed() }
                payload.bytes = bytes[index..<index + count]
                index += count
            default: throw Malformed()
            }
            result.append((key >> 3, payload))
        }
        return result
    }
}
