/// An error that knows its own ``ErrorType`` (and optionally its severity).
///
/// Adopt it in your error types so the classifier need not guess from names or messages.
public protocol ClassifiableError: Error {
    /// The kind of failure.
    var errorType: ErrorType { get }
    /// A severity overriding the configured default for ``errorType``; `nil` keeps the default.
    var severity: Severity? { get }
}

extension ClassifiableError {
    /// No override: the classifier's default severity for ``errorType`` applies.
    public var severity: Severity? { nil }
}
