import OTLPExporter

extension FuzzTarget {
    /// A Zipkin v2 JSON span list, as the pipeline's Zipkin receiver gets it; decoded spans are
    /// forwarded over OTLP, as the pipeline does.
    static let zipkinJSON = FuzzTarget(name: "zipkin-json", summary: "ZipkinSpanDecoder.decode(json:)") { bytes in
        do {
            _ = OTLPTraceEncoder.encodeProtobuf(try ZipkinSpanDecoder.decode(json: Array(bytes)))
        } catch {
            _ = String(describing: error)
        }
    }

    /// A Zipkin proto3 `ListOfSpans`. No official client among the conformance peers sends
    /// proto3, so it starts from an empty corpus and libFuzzer grows one.
    static let zipkinProtobuf = FuzzTarget(name: "zipkin-protobuf", summary: "ZipkinSpanDecoder.decode(protobuf:)") { bytes in
        do {
            _ = OTLPTraceEncoder.encodeProtobuf(try ZipkinSpanDecoder.decode(protobuf: Array(bytes)))
        } catch {
            _ = String(describing: error)
        }
    }
}
