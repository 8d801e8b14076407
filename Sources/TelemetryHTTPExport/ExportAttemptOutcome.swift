/// What one export attempt came to, classified for whatever decides whether and when to try
/// again: the exporter's own retry loop today, a shared `retry_on_failure` layer later.
public enum ExportAttemptOutcome: Sendable, Hashable {
    /// The backend accepted the batch (perhaps refusing part of it: OTLP partial success).
    case accepted
    /// Trying again may succeed. `after` is the wait the backend asked for (HTTP
    /// `Retry-After`, gRPC `google.rpc.RetryInfo`), `nil` when it named none and backoff decides.
    case retryable(after: Duration?, reason: String)
    /// Trying again cannot succeed; the batch is to be dropped.
    case permanent(reason: String)
}
