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

    /// Creates a policy.
    public init(
        initialBackoff: Duration = .milliseconds(500),
        maximumBackoff: Duration = .seconds(5),
        maximumAttempts: Int = 10,
        maximumElapsed: Duration = .seconds(30)
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumAttempts = maximumAttempts
        self.maximumElapsed = maximumElapsed
    }

    /// 0.5 s doubling to 5 s, at most 10 attempts within 30 s.
    public static let `default` = RetryPolicy()

    /// Never retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

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

    /// Parses a `Retry-After` value given in seconds; HTTP-dates are not honoured (`nil`).
    public static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingSpaces()
        guard let seconds = Int(trimmed), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 3600))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> Substring {
        var result = Substring(self)
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
