import TelemetryHTTPExport

extension OTLPHTTPSpanExporter {
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
        /// Retries and give-up bound. Default `RetryPolicy.default`.
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
        public init(environment: [String: String]) throws(ExportConfigurationError) {
            self.init()
            func value(_ name: String) -> (name: String, value: String)? {
                for variable in ["OTEL_EXPORTER_OTLP_TRACES_\(name)", "OTEL_EXPORTER_OTLP_\(name)"] {
                    if let value = environment[variable]?.trimmed, !value.isEmpty { return (variable, value) }
                }
                return nil
            }
            if let traces = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]?.trimmed, !traces.isEmpty {
                endpoint = traces
            } else if let base = environment["OTEL_EXPORTER_OTLP_ENDPOINT"]?.trimmed, !base.isEmpty {
                endpoint = base.trimmingTrailingSlashes() + "/v1/traces"
            } else if let tracing = environment["TRACING_ENDPOINT"]?.trimmed, !tracing.isEmpty {
                endpoint = tracing
            }
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw .invalidValue("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint, expected: "an http:// or https:// URL")
            }
            if let proto = value("PROTOCOL") {
                guard let parsed = OTLPFormat(rawValue: proto.value.lowercased()) else {
                    throw .invalidValue(proto.name, proto.value, expected: "http/protobuf or http/json (grpc is OTLPGRPCSpanExporter's)")
                }
                format = parsed
            }
            if let headerList = value("HEADERS") {
                headers = try Self.parseHeaders(headerList.value, variable: headerList.name)
            }
            if let compressionValue = value("COMPRESSION") {
                guard let parsed = HTTPSpanDelivery.Compression(rawValue: compressionValue.value.lowercased()) else {
                    throw .invalidValue(compressionValue.name, compressionValue.value, expected: "gzip or none")
                }
                compression = parsed
            }
            if let timeoutValue = value("TIMEOUT") {
                timeout = try HTTPSpanDelivery.Configuration.timeout(timeoutValue.value, variable: timeoutValue.name)
            }
        }

        /// Parses the W3C-baggage-like `key=value,key2=value2` list, percent-decoding values.
        package static func parseHeaders(_ text: String, variable: String) throws(ExportConfigurationError) -> [(name: String, value: String)] {
            var result: [(name: String, value: String)] = []
            for member in text.split(separator: ",") {
                guard let equals = member.firstIndex(of: "=") else {
                    throw .invalidValue(variable, text, expected: "comma-separated key=value pairs")
                }
                let name = String(member[..<equals]).trimmed
                let value = String(member[member.index(after: equals)...]).trimmed
                guard !name.isEmpty else { throw .invalidValue(variable, text, expected: "comma-separated key=value pairs") }
                result.append((name, value.percentDecoded))
            }
            return result
        }
    }
}

extension String {
    fileprivate var percentDecoded: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
