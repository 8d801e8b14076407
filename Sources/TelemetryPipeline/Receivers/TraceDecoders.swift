import TelemetryCore

/// Spans decoded from one request, with how many the decoder had to reject.
package struct DecodedTraces: Sendable {
    package var spans: [TelemetrySpanData]
    /// Spans present on the wire but unusable (OTLP partial success).
    package var rejected: Int
    package var message: String?

    package init(spans: [TelemetrySpanData], rejected: Int = 0, message: String? = nil) {
        self.spans = spans
        self.rejected = rejected
        self.message = message
    }
}

/// The wire-format decoders the receivers use; each `nil` format is answered with 415.
///
/// Kept as plain functions so the receivers stay independent of the codec modules and
/// tests can stand in their own.
package struct TraceDecoders: Sendable {
    package typealias Decode = @Sendable ([UInt8]) throws -> DecodedTraces

    /// OTLP `ExportTraceServiceRequest`, protobuf.
    package var otlpProtobuf: Decode?
    /// OTLP `ExportTraceServiceRequest`, JSON.
    package var otlpJSON: Decode?
    /// A Jaeger thrift binary `Batch`.
    package var jaegerThrift: Decode?
    /// A Zipkin v2 JSON span list.
    package var zipkinJSON: Decode?
    /// A Zipkin proto3 `ListOfSpans`.
    package var zipkinProtobuf: Decode?
    /// Inflates a gzip body, throwing past `limit` bytes.
    package var gunzip: (@Sendable ([UInt8], _ limit: Int) throws -> [UInt8])?

    package init(
        otlpProtobuf: Decode? = nil, otlpJSON: Decode? = nil, jaegerThrift: Decode? = nil,
        zipkinJSON: Decode? = nil, zipkinProtobuf: Decode? = nil,
        gunzip: (@Sendable ([UInt8], Int) throws -> [UInt8])? = nil
    ) {
        self.otlpProtobuf = otlpProtobuf
        self.otlpJSON = otlpJSON
        self.jaegerThrift = jaegerThrift
        self.zipkinJSON = zipkinJSON
        self.zipkinProtobuf = zipkinProtobuf
        self.gunzip = gunzip
    }
}

extension TraceDecoders {
    /// Decodes a journal record (see `PipelineDurability.RecordFormat`) for replay; `nil`
    /// when the format is unknown or the body no longer decodes.
    func replay(format: UInt8, body: [UInt8]) -> [TelemetrySpanData]? {
        let decode: Decode? =
            switch format {
            case PipelineDurability.RecordFormat.otlpProtobuf: otlpProtobuf
            case PipelineDurability.RecordFormat.otlpJSON: otlpJSON
            case PipelineDurability.RecordFormat.jaegerThrift: jaegerThrift
            case PipelineDurability.RecordFormat.zipkinJSON: zipkinJSON
            case PipelineDurability.RecordFormat.zipkinProtobuf: zipkinProtobuf
            default: nil
            }
        return try? decode?(body).spans
    }
}
