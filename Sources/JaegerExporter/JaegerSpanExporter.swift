import TelemetryCore
import TelemetryHTTPExport

/// Exports spans to a Jaeger collector as thrift over HTTP (`POST /api/traces`), one request
/// per resource.
public typealias JaegerSpanExporter = HTTPSpanExporter<JaegerHTTPEncoding>

/// Jaeger thrift over HTTP: `application/x-thrift` bodies, one `Batch` per resource.
public struct JaegerHTTPEncoding: HTTPSpanEncoding {
    public static let exporterName = "jaeger"
    public static var defaultConfiguration: Configuration { .default }

    public let delivery: HTTPSpanDelivery.Configuration

    public init(configuration: Configuration) {
        delivery = HTTPSpanDelivery.Configuration(
            endpoint: configuration.endpoint,
            contentType: "application/x-thrift",
            headers: configuration.headers,
            compression: .none,
            timeout: configuration.timeout,
            retryPolicy: configuration.retryPolicy,
            exporterName: Self.exporterName
        )
    }

    public func requests(for batch: [TelemetrySpanData]) -> [(bytes: [UInt8], spanCount: Int)] {
        JaegerThriftEncoder.encodeBatchesWithCounts(batch)
    }
}

extension JaegerHTTPEncoding {
    /// Where to post Jaeger thrift batches.
    public struct Configuration: Sendable {
        /// The collector URL. Default `http://localhost:14268/api/traces`; `TRACING_ENDPOINT`,
        /// else `OTEL_EXPORTER_JAEGER_ENDPOINT`.
        public var endpoint: String
        /// Extra request headers. Default none.
        public var headers: [(name: String, value: String)]
        /// Time one attempt may take. Default 10 s; `OTEL_EXPORTER_JAEGER_TIMEOUT` (milliseconds).
        public var timeout: Duration
        /// Retries and give-up bound. Default `RetryPolicy.default` (0.5 s doubling to 5 s, at
        /// most 10 attempts within 30 s); set in code only, no variable names it.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        public init(
            endpoint: String = "http://localhost:14268/api/traces",
            headers: [(name: String, value: String)] = [],
            timeout: Duration = .seconds(10),
            retryPolicy: RetryPolicy = .default
        ) {
            self.endpoint = endpoint
            self.headers = headers
            self.timeout = timeout
            self.retryPolicy = retryPolicy
        }

        /// `http://localhost:14268/api/traces`, 10 s timeout, default retries.
        public static let `default` = Configuration()

        /// Reads `TRACING_ENDPOINT` (or `OTEL_EXPORTER_JAEGER_ENDPOINT`) and `OTEL_EXPORTER_JAEGER_TIMEOUT`.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            let reader = EnvironmentReader(environment)
            for variable in ["TRACING_ENDPOINT", "OTEL_EXPORTER_JAEGER_ENDPOINT"] {
                guard let value = reader.string(variable) else { continue }
                guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                    throw .malformed(variable, value, expected: "an http:// or https:// URL")
                }
                endpoint = value
                break
            }
            if let raw = reader.string("OTEL_EXPORTER_JAEGER_TIMEOUT") {
                timeout = try HTTPSpanDelivery.Configuration.timeout(raw, variable: "OTEL_EXPORTER_JAEGER_TIMEOUT")
            }
        }
    }
}
