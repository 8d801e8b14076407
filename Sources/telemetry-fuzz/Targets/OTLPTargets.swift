import JaegerExporter
import OTLPExporter
import TelemetryCore

extension FuzzTarget {
    /// An OTLP/HTTP protobuf body, as the pipeline's OTLP receiver gets it.
    static let otlpProtobuf = FuzzTarget(name: "otlp-protobuf", summary: "OTLPTraceDecoder.decode(protobuf:)") { bytes in
        forwardDecoded { () throws(OTLPDecodingError) in try OTLPTraceDecoder.decode(protobuf: Array(bytes)) }
    }

    /// An OTLP/HTTP JSON body.
    static let otlpJSON = FuzzTarget(name: "otlp-json", summary: "OTLPTraceDecoder.decode(json:)") { bytes in
        forwardDecoded { () throws(OTLPDecodingError) in try OTLPTraceDecoder.decode(json: bytes) }
    }

    /// What the pipeline does with a decoded body: answers errors in words and forwards the
    /// spans, so the encoders meet whatever a decoder let through.
    private static func forwardDecoded(_ decode: () throws(OTLPDecodingError) -> OTLPDecodedTraces) {
        do {
            let decoded = try decode()
            _ = OTLPTraceEncoder.encodeResponse(rejectedSpans: decoded.rejectedSpans, errorMessage: decoded.errorMessage, format: .json)
            _ = OTLPTraceEncoder.encodeProtobuf(decoded.spans)
            _ = JaegerThriftEncoder.encodeBatches(decoded.spans)
        } catch {
            _ = String(describing: error)
        }
    }
}
