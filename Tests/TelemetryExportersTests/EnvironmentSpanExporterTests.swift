import JaegerExporter
import OTLPExporter
import OTLPGRPC
import TelemetryCore
import TelemetryExporters
import TelemetryHTTPExport
import TelemetryTracing
import Testing

/// The environment picks the exporter and its wire; a malformed variable is named.
@Suite struct EnvironmentSpanExporterTests {
    static func exporter(_ environment: [String: String]) throws -> (TraceExporterKind, any SpanExporter) {
        let chosen = try EnvironmentSpanExporter.make(environment: environment)
        return (chosen.kind, chosen.exporter)
    }

    @Test func theTracesExporterVariableNamesTheExporter() throws {
        #expect(try Self.exporter(["OTEL_TRACES_EXPORTER": "jaeger"]).1 is JaegerSpanExporter)
        #expect(try Self.exporter(["OTEL_TRACES_EXPORTER": "otlp"]).1 is OTLPHTTPSpanExporter)
        #expect(try Self.exporter(["OTEL_TRACES_EXPORTER": "console"]).1 is ConsoleSpanExporter)
        #expect(try Self.exporter(["OTEL_TRACES_EXPORTER": "none"]).1 is DiscardingSpanExporter)
    }

    @Test func aJaegerPathPicksJaegerAndTheOTLPProtocolPicksTheWire() throws {
        #expect(try Self.exporter(["TRACING_ENDPOINT": "http://jaeger:14268/api/traces"]).0 == .jaeger)
        let grpc = try Self.exporter(["OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        #expect(grpc.1 is OTLPGRPCSpanExporter)
        let json = try Self.exporter(["OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json"])
        #expect(json.1 is OTLPHTTPSpanExporter)
    }

    /// An environment file written with CRLF line ends leaves `\r` on every value.
    @Test func lineEndsAroundAValueAreIgnored() throws {
        #expect(try Self.exporter(["OTEL_TRACES_EXPORTER": "otlp\r", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc\r\n"]).1 is OTLPGRPCSpanExporter)
        #expect(try Self.exporter(["TRACING_ENDPOINT": "http://jaeger:14268/api/traces\n"]).0 == .jaeger)
    }

    @Test func aMalformedVariableIsNamedInTheError() {
        #expect {
            try Self.exporter(["OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_TIMEOUT": "soon"])
        } throws: { error in
            "\(error)".contains("OTEL_EXPORTER_OTLP_TIMEOUT") && "\(error)".contains("soon")
        }
        #expect(throws: ConfigurationError.self) { try Self.exporter(["OTEL_TRACES_EXPORTER": "carrier-pigeon"]) }
    }
}
