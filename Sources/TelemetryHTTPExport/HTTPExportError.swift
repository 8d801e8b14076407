/// Why a batch was not delivered.
public struct HTTPExportError: Error, Hashable, CustomStringConvertible {
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

    private init(_ code: Code, status: Int? = nil, _ description: String) {
        self.code = code
        self.status = status
        self.description = description
    }

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

    static func retriesExhausted(endpoint: String, attempts: Int, last: String) -> Self {
        Self(.retriesExhausted, "gave up on \(endpoint) after \(attempts) attempts; last: \(last)")
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
