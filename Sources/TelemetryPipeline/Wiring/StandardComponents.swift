import Logging
import TelemetryCore

// The seams where the codec, exporter and error-classification modules plug in. Formats
// left nil here are answered with 415 by the receivers, and exporter types without a
// factory fail at start with a message naming them.

extension TraceDecoders {
    /// The decoders this build ships.
    package static var standard: TraceDecoders {
        TraceDecoders(otlpProtobuf: OTLPProtobufDecoder.decode, otlpJSON: OTLPJSONDecoder.decode, gunzip: Gzip.decompress)
    }
}

enum ErrorClassifiers {
    /// The classifier the `errors` processor uses.
    static let standard: any SpanErrorClassifying = StatusCodeErrorClassifier()
}

enum StandardExporters {
    struct Unavailable: Error, CustomStringConvertible {
        let id: ComponentID
        var description: String { "exporter \(id): type \(id.type) is not available in this build" }
    }

    static func make(_ id: ComponentID, _ settings: ExporterSettings, _ logger: Logger) throws -> any SpanExporter {
        switch settings {
        case .debug(let verbosity): return DebugExporter(verbosity: verbosity, logger: logger)
        case .file(let path): return try FileExporter(path: path)
        case .prometheus: return MetricsOnlyExporter()
        case .jaeger, .otlphttp: throw Unavailable(id: id)
        }
    }
}
