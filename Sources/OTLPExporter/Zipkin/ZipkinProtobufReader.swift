/// Reads a proto3 `zipkin.proto3.ListOfSpans` by the field numbers zipkin-api's
/// `zipkin.proto` publishes, with the module's protobuf reader: unknown fields are skipped, a
/// known field with the wrong wire type or size is an error.
enum ZipkinProtobufReader {
    private typealias Wire = ProtobufReader.WireType

    static func read(_ buffer: UnsafeBufferPointer<UInt8>) throws(ZipkinDecodingError) -> [ZipkinSpan] {
        var reader = ProtobufReader(buffer)
        var spans: [ZipkinSpan] = []
        do {
            while case let (number, wireType)? = try reader.nextField() {
                guard number == 1 else {
                    try reader.skip(wireType, number: number)
                    continue
                }
                guard wireType == Wire.lengthDelimited else { throw ZipkinDecodingError.protobuf("spans (1) is not a message") }
                var message = try reader.message()
                spans.append(try span(&message, index: spans.count))
            }
        } catch let error as ZipkinDecodingError {
            throw error
        } catch {
            throw .protobuf("\(error)")
        }
        return spans
    }

    private static func span(_ reader: inout ProtobufReader, index: Int) throws -> ZipkinSpan {
        var span = ZipkinSpan(index: index)
        var tagIndex: [String: Int] = [:]
        func fail(_ field: String, _ problem: String) -> ZipkinDecodingError { .protobuf("span \(index): \(field) \(problem)") }
        func expect(_ actual: UInt8, _ wanted: UInt8, _ field: String) throws {
            guard actual == wanted else { throw fail(field, "has the wrong wire type") }
        }
        while case let (number, wireType)? = try reader.nextField() {
            switch number {
            case 1:
                try expect(wireType, Wire.lengthDelimited, "trace_id (1)")
                let bytes = try reader.bytesField()
                guard bytes.count == 8 || bytes.count == 16 else { throw fail("trace_id (1)", "must be 8 or 16 bytes, got \(bytes.count)") }
                span.traceID = bytes.count == 8 ? (0, bigEndian(bytes[...])) : (bigEndian(bytes[0..<8]), bigEndian(bytes[8..<16]))
            case 2:
                try expect(wireType, Wire.lengthDelimited, "parent_id (2)")
                let bytes = try reader.bytesField()
                guard bytes.isEmpty || bytes.count == 8 else { throw fail("parent_id (2)", "must be 8 bytes, got \(bytes.count)") }
                let parent = bytes.isEmpty ? 0 : bigEndian(bytes[...])
                span.parentID = parent == 0 ? nil : parent
            case 3:
                try expect(wireType, Wire.lengthDelimited, "id (3)")
                let bytes = try reader.bytesField()
                guard bytes.count == 8 else { throw fail("id (3)", "must be 8 bytes, got \(bytes.count)") }
                span.id = bigEndian(bytes[...])
            case 4:
                try expect(wireType, Wire.varint, "kind (4)")
                // SPAN_KIND_UNSPECIFIED = 0, CLIENT = 1, SERVER = 2, PRODUCER = 3, CONSUMER = 4.
                switch try reader.varint() {
                case 1: span.kind = .client
                case 2: span.kind = .server
                case 3: span.kind = .producer
                case 4: span.kind = .consumer
                default: span.kind = nil
                }
            case 5:
                try expect(wireType, Wire.lengthDelimited, "name (5)")
                span.name = try reader.string()
            case 6:
                try expect(wireType, Wire.fixed64, "timestamp (6)")
                let micros = try reader.fixed64()
                span.timestampMicros = micros == 0 ? nil : micros
            case 7:
                try expect(wireType, Wire.varint, "duration (7)")
                span.durationMicros = try reader.varint()
            case 8, 9:
                let field = number == 8 ? "local_endpoint (8)" : "remote_endpoint (9)"
                try expect(wireType, Wire.lengthDelimited, field)
                var message = try reader.message()
                let parsed = try Self.endpoint(&message, field: field, fail: fail)
                if number == 8 { span.localEndpoint = parsed } else { span.remoteEndpoint = parsed }
            case 10:
                try expect(wireType, Wire.lengthDelimited, "annotations (10)")
                var message = try reader.message()
                var annotation = ZipkinSpan.Annotation(timestampMicros: 0, value: "")
                while case let (inner, innerType)? = try message.nextField() {
                    switch inner {
                    case 1:
                        try expect(innerType, Wire.fixed64, "annotations.timestamp (1)")
                        annotation.timestampMicros = try message.fixed64()
                    case 2:
                        try expect(innerType, Wire.lengthDelimited, "annotations.value (2)")
                        annotation.value = try message.string()
                    default: try message.skip(innerType, number: inner)
                    }
                }
                span.annotations.append(annotation)
            case 11:
                try expect(wireType, Wire.lengthDelimited, "tags (11)")
                var entry = try reader.message()
                var key = "", value = ""
                while case let (inner, innerType)? = try entry.nextField() {
                    switch inner {
                    case 1, 2:
                        try expect(innerType, Wire.lengthDelimited, "tags entry")
                        if inner == 1 { key = try entry.string() } else { value = try entry.string() }
                    default: try entry.skip(innerType, number: inner)
                    }
                }
                // A repeated map key replaces the earlier value, as protobuf maps do.
                if let existing = tagIndex[key] {
                    span.tags[existing].value = value
                } else {
                    tagIndex[key] = span.tags.count
                    span.tags.append((key, value))
                }
            case 12, 13:
                try expect(wireType, Wire.varint, number == 12 ? "debug (12)" : "shared (13)")
                let flag = try reader.varint() != 0
                if number == 12 { span.debug = flag } else { span.shared = flag }
            default:
                try reader.skip(wireType, number: number)
            }
        }
        // Proto maps are unordered; sorting matches the JSON reader's order.
        span.tags.sort { $0.key < $1.key }
        return span
    }

    private static func endpoint(
        _ reader: inout ProtobufReader, field: String, fail: (String, String) -> ZipkinDecodingError
    ) throws -> ZipkinSpan.Endpoint {
        var endpoint = ZipkinSpan.Endpoint()
        while case let (number, wireType)? = try reader.nextField() {
            switch number {
            case 1, 2, 3:
                guard wireType == Wire.lengthDelimited else { throw fail("\(field).\(number)", "has the wrong wire type") }
                if number == 1 {
                    endpoint.serviceName = try reader.string()
                    continue
                }
                let bytes = try reader.bytesField()
                if bytes.isEmpty { continue }
                if number == 2 {
                    guard bytes.count == 4 else { throw fail("\(field).ipv4", "must be 4 bytes, got \(bytes.count)") }
                    endpoint.ipv4 = ZipkinAddress.ipv4(bytes)
                } else {
                    guard bytes.count == 16 else { throw fail("\(field).ipv6", "must be 16 bytes, got \(bytes.count)") }
                    endpoint.ipv6 = ZipkinAddress.ipv6(bytes)
                }
            case 4:
                guard wireType == Wire.varint else { throw fail("\(field).port", "has the wrong wire type") }
                // int32 on the wire; anything outside a port's range is refused rather than wrapped.
                let port = try reader.varint()
                guard port <= 65535 else { throw fail("\(field).port", "is not a port number") }
                endpoint.port = Int(port)
            default:
                try reader.skip(wireType, number: number)
            }
        }
        return endpoint
    }

    private static func bigEndian(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
