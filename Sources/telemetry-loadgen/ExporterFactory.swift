import JaegerExporter
import OTLPExporter
import OTLPGRPC
import TelemetryCore
import TelemetryHTTPExport
import TelemetryTracing

/// Picks the span exporter the environment asks for: `OTEL_TRACES_EXPORTER`
/// (`jaeger|otlp|console|none`), else the path of `TRACING_ENDPOINT`; for OTLP,
/// `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL=grpc` picks OTLP/gRPC.
enum ExporterFactory {
    static func make(environment: [String: String]) throws -> (kind: TraceExporterKind, exporter: any SpanExporter) {
        let kind = try TraceExporterKind.fromEnvironment(environment)
        switch kind {
        case .jaeger:
            return (kind, JaegerSpanExporter(configuration: try JaegerSpanExporter.Configuration(environment: environment)))
        case .otlp:
            if try OTLPProtocol.fromEnvironment(environment) == .grpc {
                return (kind, try OTLPGRPCSpanExporter(configuration: try OTLPGRPCSpanExporter.Configuration(environment: environment)))
            }
            return (kind, OTLPHTTPSpanExporter(configuration: try OTLPHTTPSpanExporter.Configuration(environment: environment)))
        case .console:
            return (kind, ConsoleSpanExporter())
        case .none:
            return (kind, DiscardingSpanExporter())
        }
    }
}

