/// Why a batch was not delivered over OTLP/gRPC.
public struct GRPCExportError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case rejected
        case retriesExhausted
        case shutdown
    }

    private let code: Code
    /// A readable explanation: the endpoint, the last status and its message.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

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

    static func retriesExhausted(endpoint: OTLPGRPCEndpoint, attempts: Int, last: String) -> Self {
        Self(.retriesExhausted, "gave up on \(endpoint) after \(attempts) attempts; last: \(last)")
    }

    static func shutdown(endpoint: OTLPGRPCEndpoint) -> Self {
        Self(.shutdown, "export to \(endpoint) cancelled by shutdown")
    }
}
