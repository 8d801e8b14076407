/// An export failure that says whether retrying can help, so a retry layer outside the
/// exporter (the pipeline's `retry_on_failure`) can tell permanent from passing failures.
public protocol RetryClassifiedError: Error {
    /// Whether retrying the same request cannot succeed (a 4xx other than 429, an
    /// unencodable body, a bad endpoint).
    var isPermanent: Bool { get }
    /// How long the backend asked the client to wait (`Retry-After`, gRPC `RetryInfo`).
    var retryAfter: Duration? { get }
}

/// Why a batch was not delivered.
public struct HTTPExportError: RetryClassifiedError, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case rejected
        case retriesExhausted
        case compression
        case invalidEndpoint
        case shutdown
    }

    private let code: Code
    /// The HTTP status of the last attempt, when there was a response.
    public let status: Int?
    /// A readable explanation.
    public let description: String
    /// The wait the backend asked for with its retryable answer, when it named one.
    public let retryAfter: Duration?

    private init(_ code: Code, status: Int? = nil, retryAfter: Duration? = nil, _ description: String) {
        self.code = code
        self.status = status
        self.retryAfter = retryAfter
        self.description = description
    }

    /// Whether retrying cannot help: the backend rejected the batch, the body could not be
    /// built or the endpoint is invalid. Shutdown is not permanent: nothing was decided.
    public var isPermanent: Bool { code == .rejected || code == .compression || code == .invalidEndpoint }

    /// Whether the exporter was shut down or the export cancelled.
    public var isShutdown: Bool { code == .shutdown }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The backend answered with a status that retrying cannot fix (4xx other than 429).
    public static let rejected = Self(.rejected, "")
    /// Retries ran out of attempts or time.
    public static let retriesExhausted = Self(.retriesExhausted, "")
    /// The exporter was shut down.
    public static let shutdown = Self(.shutdown, "")

    static func rejected(status: Int, endpoint: String, body: String) -> Self {
        Self(.rejected, status: status, "\(endpoint) rejected the batch with HTTP \(status): \(body.prefix(200))")
    }

    static func retriesExhausted(endpoint: String, attempts: Int, last: String, retryAfter: Duration? = nil) -> Self {
        Self(.retriesExhausted, retryAfter: retryAfter, "gave up on \(endpoint) after \(attempts) attempts; last: \(last)")
    }

    static func compression(_ status: Int32) -> Self {
        Self(.compression, "zlib failed with status \(status)")
    }

    static func invalidEndpoint(_ endpoint: String) -> Self {
        Self(.invalidEndpoint, "invalid export endpoint \(endpoint)")
    }

    static func shutdown(endpoint: String) -> Self {
        Self(.shutdown, "export to \(endpoint) cancelled by shutdown")
    }
}
