import OTLPExporter
import TelemetryCore
import TelemetryHTTPExport

extension OTLPGRPCSpanExporter {
    /// Where and how to call `TraceService/Export`.
    public struct Configuration: Sendable {
        /// The server. Default `localhost:4317`; `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
        /// `OTEL_EXPORTER_OTLP_ENDPOINT`, both used as they are (gRPC appends no path).
        public var endpoint: OTLPGRPCEndpoint
        /// Request metadata, names lowercased. Default none; `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS`.
        public var headers: [(name: String, value: String)]
        /// Message compression. Default none; `OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION` (`gzip`, `none`).
        public var compression: HTTPSpanDelivery.Compression
        /// The deadline of one call. Default 10 s; `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` (milliseconds).
        public var timeout: Duration
        /// Retries and give-up bound. Default `RetryPolicy.default` (0.5 s doubling to 5 s, at
        /// most 10 attempts within 30 s); set in code only, no variable names it.
        public var retryPolicy: RetryPolicy
        /// The `exporter` label on self-metrics. Default `otlp_grpc`.
        public var exporterName: String

        /// Creates a configuration.
        public init(
            endpoint: OTLPGRPCEndpoint = .default,
            headers: [(name: String, value: String)] = [],
            compression: HTTPSpanDelivery.Compression = .none,
            timeout: Duration = .seconds(10),
            retryPolicy: RetryPolicy = .default,
            exporterName: String = "otlp_grpc"
        ) {
            self.endpoint = endpoint
            self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
            self.compression = compression
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.exporterName = exporterName
        }

        /// Plaintext gRPC to `localhost:4317`, uncompressed, 10 s deadline, default retries.
        public static let `default` = Configuration()

        /// Reads the standard `OTEL_EXPORTER_OTLP_*` variables (the `TRACES_` forms win); throws
        /// naming the variable when one is malformed. `TRACING_ENDPOINT`, an OTLP/HTTP or Jaeger
        /// URL, is not read. `OTEL_EXPORTER_OTLP_(TRACES_)INSECURE=false` is refused, since only
        /// plaintext is supported.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            let otlp = OTLPEnvironment(environment)
            if let endpointValue = otlp.value("ENDPOINT") {
                do {
                    endpoint = try OTLPGRPCEndpoint(parsing: endpointValue.value)
                } catch {
                    throw .malformed(endpointValue.variable, endpointValue.value, expected: "http://host:port or host:port (\(error))")
                }
            }
            if let insecure = otlp.value("INSECURE") {
                switch insecure.value.lowercased() {
                case "true": break
                case "false":
                    throw .malformed(insecure.variable, insecure.value, expected: "true: this exporter speaks plaintext gRPC only")
                default:
                    throw .malformed(insecure.variable, insecure.value, expected: "true or false")
                }
            }
            headers = try otlp.headers()?.map { (name: $0.name.lowercased(), value: $0.value) } ?? headers
            compression = try otlp.compression() ?? compression
            timeout = try otlp.timeout() ?? timeout
        }
    }
}
