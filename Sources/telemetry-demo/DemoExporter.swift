import TelemetryCore
import TelemetryExporters

/// The demo's exporter: the one the environment asks for (``EnvironmentSpanExporter``), sent
/// to the local pipeline unless an endpoint is named.
enum DemoExporter {
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
        try EnvironmentSpanExporter.make(environment: environment).exporter
    }
}
