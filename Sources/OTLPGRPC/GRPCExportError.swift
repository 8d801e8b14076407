import TelemetryHTTPExport

/// Why a batch was not delivered over OTLP/gRPC.
public struct GRPCExportError: RetryClassifiedError, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case rejected
        case retriesExhausted
        case shutdown
    }

    private let code: Code
    /// A readable explanation: the endpoint, the last status and its message.
    public let description: String
    /// The wait the server asked for (`RetryInfo`) with its last retryable answer, if any.
    public let retryAfter: Duration?

    private init(_ code: Code, retryAfter: Duration? = nil, _ description: String) {
        self.code = code
        self.retryAfter = retryAfter
        self.description = description
    }

    /// Whether retrying the same request cannot succeed: the server rejected it. Shutdown is
    /// not permanent (nothing was decided), nor are exhausted retries. With `retryAfter`, this
    /// is what a retry layer outside the exporter (the pipeline's `retry_on_failure`) reads.
    public var isPermanent: Bool { code == .rejected }

    /// Whether the exporter was shut down or the export cancelled.
    public var isShutdown: Bool { code == .shutdown }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The server answered with a status that retrying cannot fix (`INVALID_ARGUMENT`,
    /// `RESOURCE_EXHAUSTED` without `RetryInfo`, …).
    public static let rejected = Self(.rejected, "")
    /// Retries ran out of attempts or time.
    public static let retriesExhausted = Self(.retriesExhausted, "")
    /// The exporter was shut down or the export cancelled.
    public static let shutdown = Self(.shutdown, "")

    static func rejected(endpoint: OTLPGRPCEndpoint, reason: String) -> Self {
        Self(.rejected, "\(endpoint) rejected the batch: \(reason)")
    }

    static func retriesExhausted(endpoint: OTLPGRPCEndpoint, attempts: Int, last: String, retryAfter: Duration?) -> Self {
        Self(.retriesExhausted, retryAfter: retryAfter, "gave up on \(endpoint) after \(attempts) attempts; last: \(last)")
    }

    static func shutdown(endpoint: OTLPGRPCEndpoint) -> Self {
        Self(.shutdown, "export to \(endpoint) cancelled by shutdown")
    }
}
