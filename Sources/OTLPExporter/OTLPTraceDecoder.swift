import TelemetryCore

/// Decodes OTLP/HTTP trace request bodies, protobuf or JSON, into spans.
///
/// A body that is not a valid `ExportTraceServiceRequest` throws `OTLPDecodingError`.
/// Spans with invalid IDs (wrong length, all zero) are left out and counted in
/// `OTLPDecodedTraces.rejectedSpans`, for the receiver's partial-success answer.
public enum OTLPTraceDecoder {
    /// Decodes a binary protobuf body.
    public static func decode(protobuf bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(OTLPDecodingError) in try OTLPProtobufDecoder.decode(buffer) }
        }
        return try result.get()
    }

    /// Decodes a binary protobuf body held in any byte collection.
    @_disfavoredOverload
    public static func decode(protobuf bytes: some Collection<UInt8>) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        try decode(protobuf: Array(bytes))
    }

    /// Decodes an OTLP/JSON body (hex IDs; enums as numbers or names; 64-bit integers as
    /// strings or numbers; lowerCamelCase or snake_case keys).
    public static func decode(json bytes: some Collection<UInt8>) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        try OTLPJSONDecoder.decode(Array(bytes))
    }
}

/// The spans of one request, and how many were refused.
public struct OTLPDecodedTraces: Sendable, Hashable {
    /// The valid spans, in request order.
    public var spans: [TelemetrySpanData]
    /// Spans left out because they were invalid.
    public var rejectedSpans: Int
    /// Why the first rejected span was refused; empty when none were.
    public var errorMessage: String

    /// Creates a result.
    public init(spans: [TelemetrySpanData] = [], rejectedSpans: Int = 0, errorMessage: String = "") {
        self.spans = spans
        self.rejectedSpans = rejectedSpans
        self.errorMessage = errorMessage
    }

    package mutating func reject(_ message: @autoclosure () -> String) {
        if rejectedSpans == 0 { errorMessage = message() }
        rejectedSpans += 1
    }
}

/// Why an OTLP body could not be decoded at all.
public struct OTLPDecodingError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case protobuf
        case json
    }

    private let code: Code
    /// A readable explanation.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The body is not a valid protobuf `ExportTraceServiceRequest`.
    public static let invalidProtobuf = Self(.protobuf, "")
    /// The body is not a valid OTLP/JSON `ExportTraceServiceRequest`.
    public static let invalidJSON = Self(.json, "")

    package static func protobuf(_ detail: String) -> Self {
        Self(.protobuf, "OTLP protobuf body is not an ExportTraceServiceRequest: \(detail)")
    }

    static func json(_ detail: String) -> Self {
        Self(.json, "OTLP/JSON body is not an ExportTraceServiceRequest: \(detail)")
    }
}
