import TelemetryCore

/// Which span exporter the environment asks for.
public enum TraceExporterKind: String, Sendable, Hashable, CaseIterable {
    /// Jaeger thrift over HTTP (`/api/traces`).
    case jaeger
    /// OTLP over HTTP (`/v1/traces`), protobuf or JSON.
    case otlp
    /// One JSON line per span on standard output.
    case console
    /// No export.
    case none

    /// Reads `OTEL_TRACES_EXPORTER` (`jaeger`, `otlp`, `console`, `none`; the first of a
    /// comma list). When it is unset, `TRACING_ENABLED=false` means `none`, and a
    /// `TRACING_ENDPOINT` ending in `/api/traces` means Jaeger; anything else means OTLP.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError) -> TraceExporterKind {
        let reader = EnvironmentReader(environment)
        if let raw = reader.string("OTEL_TRACES_EXPORTER") {
            let first = raw.split(separator: ",").first.map { $0.trimmingSpaces().lowercased() } ?? ""
            guard let kind = TraceExporterKind(rawValue: first) else {
                throw .malformed("OTEL_TRACES_EXPORTER", raw, expected: "jaeger, otlp, console or none")
            }
            return kind
        }
        if let enabled = reader.string("TRACING_ENABLED")?.lowercased(), ["false", "0", "no", "off"].contains(enabled) {
            return .none
        }
        if let endpoint = reader.string("TRACING_ENDPOINT"), endpoint.trimmingTrailingSlashes().hasSuffix("/api/traces") {
            return .jaeger
        }
        return .otlp
    }
}

extension String {
    package func trimmingTrailingSlashes() -> String {
        var result = Substring(self)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
