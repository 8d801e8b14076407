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
    /// The local pipeline's OTLP/HTTP receiver, used when no endpoint is configured.
    static let defaultEndpoint = "http://127.0.0.1:4318/v1/traces"

    /// `environment` with `TRACING_ENDPOINT` defaulted to the local pipeline.
    static func withDefaultEndpoint(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        let named = ["TRACING_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]
        if !named.contains(where: { !(environment[$0] ?? "").isEmpty }) {
            environment["TRACING_ENDPOINT"] = defaultEndpoint
        }
        return environment
    }

    static func make(environment: [String: String]) throws -> any SpanExporter {
        switch try TraceExporterKind.fromEnvironment(environment) {
        case .jaeger: JaegerSpanExporter(configuration: try JaegerSpanExporter.Configuration(environment: environment))
        case .otlp:
            if try OTLPProtocol.fromEnvironment(environment) == .grpc {
                try OTLPGRPCSpanExporter(configuration: try OTLPGRPCSpanExporter.Configuration(environment: environment))
            } else {
                OTLPHTTPSpanExporter(configuration: try OTLPHTTPSpanExporter.Configuration(environment: environment))
            }
        case .console: ConsoleSpanExporter()
        case .none: DiscardingSpanExporter()
        }
    }
}

