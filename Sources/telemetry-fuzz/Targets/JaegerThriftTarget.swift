import JaegerExporter
import OTLPExporter

extension FuzzTarget {
    /// A Jaeger thrift binary `Batch`, as the pipeline's Jaeger receiver gets it; decoded spans
    /// are forwarded over OTLP, as the pipeline does.
    static let jaegerThrift = FuzzTarget(name: "jaeger-thrift", summary: "JaegerThriftDecoder.decode") { bytes in
        do {
            let spans = try JaegerThriftDecoder.decode(Array(bytes))
            _ = OTLPTraceEncoder.encodeJSON(spans)
        } catch {
            _ = String(describing: error)
        }
    }
}
