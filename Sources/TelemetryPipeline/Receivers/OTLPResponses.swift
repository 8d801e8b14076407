/// The two small protobuf messages an OTLP/HTTP server writes, encoded by hand so the
/// receiver needs no generated code: `ExportTraceServiceResponse` and `google.rpc.Status`.
enum OTLPResponses {
    /// Empty on full success; `partial_success { rejected_spans, error_message }` otherwise.
    static func exportResponse(rejected: Int, message: String?) -> [UInt8] {
        guard rejected > 0 else { return [] }
        var partial: [UInt8] = []
        partial.append(0x08)  // field 1, varint: rejected_spans
        appendVarint(UInt64(rejected), to: &partial)
        appendString(field: 2, message ?? "\(rejected) spans rejected", to: &partial)
        var out: [UInt8] = [0x0A]  // field 1, length-delimited: partial_success
        appendVarint(UInt64(partial.count), to: &out)
        return out + partial
    }

    /// `google.rpc.Status { code, message }`.
    static func status(code: Int, message: String) -> [UInt8] {
        var out: [UInt8] = [0x08]
        appendVarint(UInt64(code), to: &out)
        appendString(field: 2, message, to: &out)
        return out
    }

    private static func appendString(field: UInt8, _ text: String, to out: inout [UInt8]) {
        out.append(field << 3 | 2)
        appendVarint(UInt64(text.utf8.count), to: &out)
        out += Array(text.utf8)
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }
}
