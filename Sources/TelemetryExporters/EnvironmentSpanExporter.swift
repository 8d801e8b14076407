import JaegerExporter
import Logging
import OTLPExporter
import OTLPGRPC
import TelemetryCore
import TelemetryHTTPExport
import TelemetryTracing

/// The span exporter the environment asks for, so that no executable chooses one itself.
///
/// `OTEL_TRACES_EXPORTER` (`jaeger`, `otlp`, `console` or `none`) names it, else the path of
/// `TRACING_ENDPOINT` (`/api/traces` is Jaeger's); for OTLP, `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL`
/// picks `grpc`, `http/protobuf` (the default) or `http/json`. Each exporter then reads its own
/// variables, and a malformed one throws ``ConfigurationError`` naming it.
public enum EnvironmentSpanExporter {
    /// The chosen exporter and its kind.
    public static func make(
        environment: [String: String],
        logger: Logger? = nil
    ) throws -> (kind: TraceExporterKind, exporter: any SpanExporter) {
        let kind = try TraceExporterKind.fromEnvironment(environment)
        switch kind {
        case .jaeger:
            return (kind, JaegerSpanExporter(configuration: try JaegerSpanExporter.Configuration(environment: environment), logger: logger))
        case .otlp:
            if try OTLPProtocol.fromEnvironment(environment) == .grpc {
                let configuration = try OTLPGRPCSpanExporter.Configuration(environment: environment)
                let exporter =
                    if let logger { try OTLPGRPCSpanExporter(configuration: configuration, logger: logger) } else {
                        try OTLPGRPCSpanExporter(configuration: configuration)
                    }
                return (kind, exporter)
            }
            return (kind, OTLPHTTPSpanExporter(configuration: try OTLPHTTPSpanExporter.Configuration(environment: environment), logger: logger))
        case .console:
            return (kind, ConsoleSpanExporter())
        case .none:
            return (kind, DiscardingSpanExporter())
        }
    }
}
