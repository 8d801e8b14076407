import GRPCCore
import TelemetryHTTPExport

extension ExportAttemptOutcome {
    /// The longest `RetryInfo` delay honoured; a longer ask is clamped to it, as `Retry-After` is.
    static let maximumServerDelay = Duration.seconds(3600)

    /// Classifies a failed OTLP/gRPC call as the specification's "OTLP/gRPC Throttling" and
    /// "Failures" sections say: `UNAVAILABLE`, `DEADLINE_EXCEEDED`, `ABORTED`, `OUT_OF_RANGE`,
    /// `DATA_LOSS` and `CANCELLED` are retryable, `RESOURCE_EXHAUSTED` only when the status
    /// carries a `google.rpc.RetryInfo` (the server expects to recover), everything else is
    /// permanent. A `RetryInfo` delay becomes the wait, clamped to `0...maximumServerDelay`.
    static func classifying(_ error: RPCError) -> ExportAttemptOutcome {
        let delay = OTLPGRPC.retryDelay(of: error).map { min(max($0, .zero), maximumServerDelay) }
        let reason = "\(error.code): \(error.message)"
        guard OTLPGRPC.isRetryable(error.code, hasRetryInfo: delay != nil) else { return .permanent(reason: reason) }
        return .retryable(after: delay, reason: reason)
    }
}
