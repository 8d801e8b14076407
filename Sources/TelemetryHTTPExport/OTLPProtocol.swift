import TelemetryCore

/// The OTLP transport the environment asks for.
public enum OTLPProtocol: String, Sendable, Hashable, CaseIterable {
    /// OTLP/gRPC, default endpoint `http://localhost:4317`.
    case grpc
    /// OTLP/HTTP with binary protobuf bodies, default endpoint `http://localhost:4318/v1/traces`.
    case httpProtobuf = "http/protobuf"
    /// OTLP/HTTP with JSON bodies.
    case httpJSON = "http/json"

    /// Reads `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`; the default
    /// is `http/protobuf`, as the OpenTelemetry specification recommends for SDKs.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError) -> OTLPProtocol {
        guard let setting = OTLPEnvironment(environment).value("PROTOCOL") else { return .httpProtobuf }
        guard let parsed = OTLPProtocol(rawValue: setting.value.lowercased()) else {
            throw .malformed(setting.variable, setting.value, expected: "grpc, http/protobuf or http/json")
        }
        return parsed
    }
}
