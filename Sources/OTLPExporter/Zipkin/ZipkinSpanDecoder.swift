import TelemetryCore

/// Decodes Zipkin v2 span lists (`POST /api/v2/spans`), JSON or proto3, into spans.
///
/// The mapping follows the OpenTelemetry Collector's Zipkin translator: `kind` to span
/// kind (absent → internal), `localEndpoint.serviceName` to the resource's `service.name`,
/// the endpoints to `net.host.*` / `peer.service` and `net.peer.*` attributes, tags to
/// string attributes, `otel.status_code` / `otel.status_description` and the `error` tag
/// to the status, annotations to events, microseconds to nanoseconds. A body that is not a
/// valid span list — wrong types, malformed or zero IDs, numbers out of range — throws
/// `ZipkinDecodingError` and nothing of it is kept, as the Collector answers such a body 400.
///
/// Where it departs from the translator, on purpose: any `error` tag value marks the span
/// failed and becomes its message (the translator acts on `"true"` only, losing the messages
/// Brave and Spring write there); `localEndpoint.serviceName` wins over a `service.name` tag;
/// an annotation value that is not the translator's JSON form stays the event's whole name.
public enum ZipkinSpanDecoder {
    /// Decodes a JSON array of Zipkin v2 spans (`application/json`).
    public static func decode(json bytes: some Collection<UInt8>) throws(ZipkinDecodingError) -> [TelemetrySpanData] {
        try ZipkinJSONReader.read(Array(bytes)).map { span throws(ZipkinDecodingError) in try span.spanData() }
    }

    /// Decodes a proto3 `zipkin.proto3.ListOfSpans` (`application/x-protobuf`).
    public static func decode(protobuf bytes: some Collection<UInt8>) throws(ZipkinDecodingError) -> [TelemetrySpanData] {
        let array = Array(bytes)
        let result = array.withUnsafeBufferPointer { buffer in
            Result { () throws(ZipkinDecodingError) in try ZipkinProtobufReader.read(buffer) }
        }
        return try result.get().map { span throws(ZipkinDecodingError) in try span.spanData() }
    }
}

/// Why a Zipkin body could not be decoded.
public struct ZipkinDecodingError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case json
        case protobuf
        case span
    }

    private let code: Code
    /// A readable explanation, naming the span (by index) and field at fault.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The body is not a JSON array of Zipkin v2 spans.
    public static let invalidJSON = Self(.json, "")
    /// The body is not a proto3 `ListOfSpans`.
    public static let invalidProtobuf = Self(.protobuf, "")
    /// A span is well-formed on the wire but unusable (zero IDs, times out of range).
    public static let invalidSpan = Self(.span, "")

    static func json(_ detail: String) -> Self { Self(.json, "Zipkin JSON body is not a span list: \(detail)") }
    static func protobuf(_ detail: String) -> Self { Self(.protobuf, "Zipkin proto3 body is not a ListOfSpans: \(detail)") }
    static func span(_ index: Int, _ detail: String) -> Self { Self(.span, "Zipkin span \(index): \(detail)") }
}
