/// `ExportTraceServiceResponse` in protobuf: an optional `partial_success` (field 1) holding
/// `rejected_spans` (1, int64) and `error_message` (2, string). The receivers write it and the
/// exporters read it; both are small enough to need no generated code.
enum OTLPProtobufResponse {
    /// The body answering a request of which `rejectedSpans` were refused; empty (the
    /// response with no fields) when nothing was refused and there is no message.
    static func encode(rejectedSpans: Int, errorMessage: String) -> [UInt8] {
        guard rejectedSpans > 0 || !errorMessage.isEmpty else { return [] }
        var writer = ProtobufWriter(capacity: 16 + errorMessage.utf8.count)
        writer.message(1) { partial in
            partial.varintField(1, UInt64(bitPattern: Int64(rejectedSpans)))
            partial.string(2, errorMessage)
        }
        return writer.bytes
    }

    /// The `partial_success` of a response body, `nil` when the body has none or is not a
    /// response. Repeated occurrences merge, later fields winning, as protobuf parsers do.
    static func partialSuccess(in body: [UInt8]) -> (rejected: Int, message: String)? {
        body.withUnsafeBufferPointer { buffer in
            var reader = ProtobufReader(buffer)
            var found: (rejected: Int, message: String)?
            do {
                while let field = try reader.nextField() {
                    guard field.number == 1, field.wireType == ProtobufReader.WireType.lengthDelimited else {
                        try reader.skip(field.wireType, number: field.number)
                        continue
                    }
                    var partial = try reader.message()
                    var value = found ?? (0, "")
                    while let inner = try partial.nextField() {
                        switch (inner.number, inner.wireType) {
                        case (1, ProtobufReader.WireType.varint): value.rejected = Int(truncatingIfNeeded: try partial.varint())
                        case (2, ProtobufReader.WireType.lengthDelimited): value.message = try partial.string()
                        default: try partial.skip(inner.wireType, number: inner.number)
                        }
                    }
                    found = value
                }
            } catch {
                return nil
            }
            return found
        }
    }
}
