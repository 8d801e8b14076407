import CoreMetrics
import ErrorAggregation
import JaegerExporter
import Logging
import OTLPExporter
import OTLPGRPC
import TelemetryCore
import TelemetryHTTPExport
import TraceStorage

// Where the codec, exporter and error-classification modules plug into the pipeline.

extension TraceDecoders {
    /// The OTLP, Jaeger and Zipkin decoders and the zlib gzip inflater of the codec modules.
    package static var standard: TraceDecoders {
        TraceDecoders(
            otlpProtobuf: { bytes in DecodedTraces(try OTLPTraceDecoder.decode(protobuf: bytes)) },
            otlpJSON: { bytes in DecodedTraces(try OTLPTraceDecoder.decode(json: bytes)) },
            jaegerThrift: { bytes in DecodedTraces(spans: try JaegerThriftDecoder.decode(bytes)) },
            zipkinJSON: { bytes in DecodedTraces(spans: try ZipkinSpanDecoder.decode(json: bytes)) },
            zipkinProtobuf: { bytes in DecodedTraces(spans: try ZipkinSpanDecoder.decode(protobuf: bytes)) },
            gunzip: { bytes, limit in try Gzip.decompress(bytes, limit: limit) })
    }
}

extension DecodedTraces {
    init(_ decoded: OTLPDecodedTraces) {
        self.init(
            spans: decoded.spans, rejected: decoded.rejectedSpans, message: decoded.errorMessage.isEmpty ? nil : decoded.errorMessage)
    }
}

/// The ErrorAggregation module's classifier: the seed's nine types and four severities.
struct AggregationErrorClassifier: SpanErrorClassifying {
    let classifier = ErrorClassifier.default

    func classify(_ span: TelemetrySpanData) -> SpanErrorClassification? {
        if let classification = classifier.classify(span: span) {
            return SpanErrorClassification(type: classification.type.rawValue, severity: classification.severity.rawValue)
        }
        // A request answered 4xx is not a failed span (its status stays unset) but is an error
        // of the client's making, which a service's own aggregator counts by the status code's
        // type; so does the pipeline, for requests only.
        guard span.kind == .server || span.kind == .consumer else { return nil }
        let named = span.attributes["error.type"]?.stringValue.flatMap(ErrorType.init(rawValue:))
        let status = (span.attributes["http.response.status_code"] ?? span.attributes["http.status_code"])?.intValue
        guard let type = named ?? status.flatMap({ ErrorClassifier.classify(statusCode: Int($0)) }) else { return nil }
        return SpanErrorClassification(type: type.rawValue, severity: classifier.severity(of: type).rawValue)
    }
}

enum ErrorClassifiers {
    /// The classifier the `errors` processor uses.
    static let standard: any SpanErrorClassifying = AggregationErrorClassifier()
}

enum StandardExporters {
    static func make(
        _ id: ComponentID, _ settings: ExporterSettings, _ logger: Logger, metricsFactory: any MetricsFactory
    ) throws -> any SpanExporter {
        switch settings {
        case .debug(let verbosity): return DebugExporter(verbosity: verbosity, logger: logger)
        case .file(let path): return try FileExporter(path: path)
        // Both export the metric registry, not spans; the daemon runs the remote-write pushes.
        case .prometheus, .prometheusRemoteWrite: return MetricsOnlyExporter()
        // The daemon builds load balancers itself: they make a worker per backend.
        case .loadBalancing: throw BuiltByTheDaemon(exporter: "\(id)")
        // The daemon builds trace stores itself, to share each with the query API.
        case .traceStore(let configuration, let storage):
            return TraceStoreExporter(store: try TraceStoreExporter.makeStore(configuration, storage: storage), clock: WallClock.system)
        case .jaeger(let http):
            return JaegerSpanExporter(
                configuration: .init(
                    endpoint: http.endpoint, headers: http.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    timeout: http.timeout, retryPolicy: .caller),
                logger: logger, metricsFactory: metricsFactory)
        case .otlphttp(let http):
            // Like the Collector's otlphttp exporter, `endpoint` is a base URL unless it names the traces path.
            let url =
                http.endpoint.hasSuffix("/v1/traces")
                ? http.endpoint : http.endpoint.trimmingSuffix("/") + "/v1/traces"
            return OTLPHTTPSpanExporter(
                configuration: .init(
                    endpoint: url, format: http.encoding == "json" ? .json : .protobuf,
                    headers: http.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, timeout: http.timeout,
                    // One retry layer: the pipeline's retry_on_failure (ExporterWorker) retries, not the delivery.
                    retryPolicy: .caller),
                logger: logger, metricsFactory: metricsFactory)
        case .otlpGRPC(let grpc):
            return try OTLPGRPCSpanExporter(
                configuration: .init(
                    endpoint: grpc.endpoint, headers: grpc.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    compression: grpc.gzip ? .gzip : .none, timeout: grpc.timeout,
                    // One retry layer: the pipeline's retry_on_failure (ExporterWorker) retries, not the delivery.
                    retryPolicy: .caller),
                logger: logger, metricsFactory: metricsFactory)
        }
    }
}

struct BuiltByTheDaemon: Error, CustomStringConvertible {
    let exporter: String
    var description: String { "exporter \(exporter) is built by PipelineDaemon, not by StandardExporters" }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
