import TelemetryCore

/// Builds OTLP/HTTP trace request bodies, `ExportTraceServiceRequest`, from spans, grouped
/// by resource and then by instrumentation scope.
public enum OTLPTraceEncoder {
    /// The binary protobuf body (`application/x-protobuf`).
    public static func encodeProtobuf(_ spans: [TelemetrySpanData]) -> [UInt8] {
        OTLPProtobufEncoder.encode(ResourceGroup.group(spans))
    }

    /// The OTLP/JSON body (`application/json`): hex IDs, integer enums, 64-bit integers as strings.
    public static func encodeJSON(_ spans: [TelemetrySpanData]) -> [UInt8] {
        OTLPJSONEncoder.encode(ResourceGroup.group(spans))
    }

    /// The body of a body in `format`.
    public static func encode(_ spans: [TelemetrySpanData], format: OTLPFormat) -> [UInt8] {
        switch format {
        case .protobuf: encodeProtobuf(spans)
        case .json: encodeJSON(spans)
        }
    }

    /// An `ExportTraceServiceResponse` body for a receiver's answer, with a partial-success
    /// part when spans were rejected.
    public static func encodeResponse(rejectedSpans: Int, errorMessage: String, format: OTLPFormat) -> [UInt8] {
        switch format {
        case .protobuf:
            return OTLPProtobufResponse.encode(rejectedSpans: rejectedSpans, errorMessage: errorMessage)
        case .json:
            guard rejectedSpans > 0 || !errorMessage.isEmpty else { return Array("{}".utf8) }
            var writer = JSONWriter(capacity: 64 + errorMessage.utf8.count)
            writer.beginObject()
            writer.key("partialSuccess")
            writer.beginObject()
            if rejectedSpans > 0 {
                writer.key("rejectedSpans")
                writer.plainString(String(rejectedSpans))
            }
            if !errorMessage.isEmpty {
                writer.key("errorMessage")
                writer.string(errorMessage)
            }
            writer.endObject()
            writer.endObject()
            return writer.bytes
        }
    }
}

/// The two OTLP/HTTP body encodings.
public enum OTLPFormat: String, Sendable, Hashable {
    /// `http/protobuf`, `application/x-protobuf`.
    case protobuf = "http/protobuf"
    /// `http/json`, `application/json`.
    case json = "http/json"

    /// The `Content-Type` of bodies in this format.
    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }
}
