/// When to try a failed delivery again, and how long to wait first.
///
/// Retries connection errors and HTTP 429, 502, 503 and 504 with exponential backoff and
/// jitter, waits as long as a `Retry-After` header asks, and never retries other statuses.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay before the first retry. Default 0.5 s.
    public var initialBackoff: Duration
    /// Upper bound of one computed backoff (not of `Retry-After`). Default 5 s.
    public var maximumBackoff: Duration
    /// Total attempts, the first included. Default 10.
    public var maximumAttempts: Int
    /// Time after the first attempt beyond which no retry starts. Default 30 s.
    public var maximumElapsed: Duration
    /// Whether retries belong to the caller: the delivery makes one attempt, throws a
    /// retryable failure with the backend's `Retry-After` (see ``HTTPExportError/retryAfter``)
    /// and counts no drops or failures, which the caller's retry layer counts once it gives
    /// up. Default `false`.
    public var retriedByCaller: Bool

    /// Creates a policy.
    public init(
        initialBackoff: Duration = .milliseconds(500),
        maximumBackoff: Duration = .seconds(5),
        maximumAttempts: Int = 10,
        maximumElapsed: Duration = .seconds(30),
        retriedByCaller: Bool = false
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumAttempts = maximumAttempts
        self.maximumElapsed = maximumElapsed
        self.retriedByCaller = retriedByCaller
    }

    /// 0.5 s doubling to 5 s, at most 10 attempts within 30 s.
    public static let `default` = RetryPolicy()

    /// Never retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// One attempt per call, retries and drop accounting left to the caller (the pipeline's
    /// `retry_on_failure`), so there is one retry layer per exporter.
    public static let caller = RetryPolicy(maximumAttempts: 1, retriedByCaller: true)

    /// Whether a response status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 502 || status == 503 || status == 504
    }

    /// The wait before attempt `attempt + 1`, after `attempt` attempts failed (1-based):
    /// `Retry-After` when given, otherwise the exponential backoff scaled by a jitter
    /// fraction in `[0, 1)` into its upper half, so retries from many clients spread out.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        if let retryAfter { return retryAfter }
        let exponent = min(max(attempt - 1, 0), 30)
        var backoff = initialBackoff * (1 << exponent)
        if backoff > maximumBackoff { backoff = maximumBackoff }
        return backoff * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }

    /// Parses a `Retry-After` value: delay-seconds, or an HTTP-date (RFC 9110: IMF-fixdate,
    /// or the obsolete RFC 850 and asctime forms) counted from `now`.
    ///
    /// - Parameters:
    ///   - value: The header value, e.g. `120` or `Wed, 21 Oct 2015 07:28:00 GMT`.
    ///   - now: The current wall-clock time as a duration since the Unix epoch; only an
    ///     HTTP-date reads it. Defaults to the system clock.
    /// - Returns: The wait, zero for a date already past, at most one hour; `nil` when the
    ///   value is neither form.
    public static func parseRetryAfter(_ value: String, now: Duration? = nil) -> Duration? {
        let trimmed = value.trimmingSpaces()
        if let first = trimmed.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-") {
            guard let seconds = Int(trimmed), seconds >= 0 else { return nil }
            return .seconds(min(seconds, maximumRetryAfterSeconds))
        }
        let current = now ?? HTTPDate.systemNow()
        guard let date = HTTPDate.secondsSinceEpoch(trimmed, now: current.components.seconds) else { return nil }
        let wait = Duration.seconds(date) - current
        if wait <= .zero { return .zero }
        return min(wait, .seconds(maximumRetryAfterSeconds))
    }

    /// The longest `Retry-After` honoured; a longer ask is clamped to it.
    private static let maximumRetryAfterSeconds = 3600
}

extension String {
    fileprivate func trimmingSpaces() -> Substring {
        var result = Substring(self)
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
