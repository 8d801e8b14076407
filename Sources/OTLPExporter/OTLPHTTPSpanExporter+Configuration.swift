import TelemetryCore
import TelemetryHTTPExport

extension OTLPHTTPEncoding {
    /// Where and how to post OTLP/HTTP trace requests.
    public struct Configuration: Sendable {
        /// The traces URL. Default `http://localhost:4318/v1/traces`;
        /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (as is), else `OTEL_EXPORTER_OTLP_ENDPOINT`
        /// plus `/v1/traces`, else `TRACING_ENDPOINT` (as is).
        public var endpoint: String
        /// Body encoding. Default protobuf; `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` (`http/protobuf`, `http/json`).
        public var format: OTLPFormat
        /// Extra headers. Default none; `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS` (`k=v,k2=v2`, values percent-decoded).
        public var headers: [(name: String, value: String)]
        /// Body compression. Default none; `OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION` (`gzip`, `none`).
        public var compression: HTTPSpanDelivery.Compression
        /// Time one attempt may take. Default 10 s; `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` (milliseconds).
        public var timeout: Duration
        /// Retries and give-up bound. Default `RetryPolicy.default` (0.5 s doubling to 5 s, at
        /// most 10 attempts within 30 s); set in code only, no variable names it.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        public init(
            endpoint: String = "http://localhost:4318/v1/traces",
            format: OTLPFormat = .protobuf,
            headers: [(name: String, value: String)] = [],
            compression: HTTPSpanDelivery.Compression = .none,
            timeout: Duration = .seconds(10),
            retryPolicy: RetryPolicy = .default
        ) {
            self.endpoint = endpoint
            self.format = format
            self.headers = headers
            self.compression = compression
            self.timeout = timeout
            self.retryPolicy = retryPolicy
        }

        /// Protobuf to `http://localhost:4318/v1/traces`.
        public static let `default` = Configuration()

        /// Reads the standard `OTEL_EXPORTER_OTLP_*` variables (the `TRACES_` forms win) and
        /// `TRACING_ENDPOINT`; throws naming the variable when one is malformed.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            let otlp = OTLPEnvironment(environment)
            let reader = EnvironmentReader(environment)
            if let traces = reader.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
                endpoint = traces
            } else if let base = reader.string("OTEL_EXPORTER_OTLP_ENDPOINT") {
                endpoint = base.trimmingTrailingSlashes() + "/v1/traces"
            } else if let tracing = reader.string("TRACING_ENDPOINT") {
                endpoint = tracing
            }
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw .malformed("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint, expected: "an http:// or https:// URL")
            }
            if let proto = otlp.value("PROTOCOL") {
                guard let parsed = OTLPFormat(rawValue: proto.value.lowercased()) else {
                    throw .malformed(proto.variable, proto.value, expected: "http/protobuf or http/json (grpc is OTLPGRPCSpanExporter's)")
                }
                format = parsed
            }
            headers = try otlp.headers() ?? headers
            compression = try otlp.compression() ?? compression
            timeout = try otlp.timeout() ?? timeout
        }
    }
}
