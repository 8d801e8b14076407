/// The outcome of classifying one failure.
public struct ErrorClassification: Sendable, Hashable {
    /// The kind of failure.
    public var type: ErrorType
    /// Its severity (before any rate-based escalation).
    public var severity: Severity

    /// Creates a classification.
    public init(type: ErrorType, severity: Severity) {
        self.type = type
        self.severity = severity
    }
}
