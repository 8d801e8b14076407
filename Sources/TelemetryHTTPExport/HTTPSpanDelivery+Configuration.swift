import TelemetryCore

extension HTTPSpanDelivery {
    /// Where and how a delivery posts.
    public struct Configuration: Sendable {
        /// The full URL to post to, e.g. `http://localhost:4318/v1/traces`.
        /// Default `http://localhost:4318/v1/traces`; set by the exporters from
        /// `TRACING_ENDPOINT` or `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT`.
        public var endpoint: String
        /// The body's media type. Default `application/x-protobuf`; set by the exporter from its
        /// wire format (`OTEL_EXPORTER_OTLP_PROTOCOL` for OTLP), not read from a variable itself.
        public var contentType: String
        /// Extra request headers. Default none; `OTEL_EXPORTER_OTLP_HEADERS`.
        public var headers: [(name: String, value: String)]
        /// Body compression. Default none; `OTEL_EXPORTER_OTLP_COMPRESSION=gzip`.
        public var compression: Compression
        /// Time one attempt may take. Default 10 s; `OTEL_EXPORTER_OTLP_TIMEOUT` (milliseconds).
        public var timeout: Duration
        /// Retries and give-up bound. Default `RetryPolicy.default` (0.5 s doubling to 5 s, at
        /// most 10 attempts within 30 s); set in code only, no variable names it.
        public var retryPolicy: RetryPolicy
        /// The `exporter` label on self-metrics. Default `otlp`.
        public var exporterName: String

        /// Creates a configuration.
        public init(
            endpoint: String = "http://localhost:4318/v1/traces",
            contentType: String = "application/x-protobuf",
            headers: [(name: String, value: String)] = [],
            compression: Compression = .none,
            timeout: Duration = .seconds(10),
            retryPolicy: RetryPolicy = .default,
            exporterName: String = "otlp"
        ) {
            self.endpoint = endpoint
            self.contentType = contentType
            self.headers = headers
            self.compression = compression
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.exporterName = exporterName
        }

        /// OTLP/HTTP protobuf to localhost:4318, no compression, 10 s timeout, default retries.
        public static let `default` = Configuration()

        /// Reads an `OTEL_EXPORTER_*_TIMEOUT` value: whole milliseconds as the OpenTelemetry
        /// specification writes them (`10000`), or a duration with a unit (`10s`); above zero and at
        /// most ``ConfigurationValue/maximumDuration``, since the timeout becomes an `Int64`
        /// nanosecond deadline.
        package static func timeout(_ value: String, variable: String) throws(ConfigurationError) -> Duration {
            do {
                return try ConfigurationValue.duration(value, bareNumberUnit: .milliseconds, minimum: .nanoseconds(1))
            } catch {
                throw error.isMalformed ? .malformed(variable, value, expected: "a positive number of milliseconds") : .invalid(variable, value, error)
            }
        }
    }

    /// How request bodies are compressed.
    public enum Compression: String, Sendable, Hashable {
        case none
        case gzip
    }
}
