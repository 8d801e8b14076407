/// Thrown instead of running a request the breaker does not admit.
public struct CircuitBreakerRejectedError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case open
        case tooManyRequests
        case isolated
    }

    private let code: Code
    /// Name of the breaker that rejected the request.
    public let breakerName: String
    /// The breaker's state when it rejected the request.
    public let state: CircuitBreaker.State
    /// Time until the breaker will admit a probe; `nil` when half-open or isolated.
    public let retryAfter: Duration?

    private init(code: Code, breakerName: String, state: CircuitBreaker.State, retryAfter: Duration?) {
        self.code = code
        self.breakerName = breakerName
        self.state = state
        self.retryAfter = retryAfter
    }

    /// The breaker is open (gobreaker's `ErrOpenState`).
    public static func open(breakerName: String, retryAfter: Duration) -> Self {
        Self(code: .open, breakerName: breakerName, state: .open, retryAfter: retryAfter)
    }

    /// The breaker is half-open and its probe budget is spent (gobreaker's `ErrTooManyRequests`).
    public static func tooManyRequests(breakerName: String) -> Self {
        Self(code: .tooManyRequests, breakerName: breakerName, state: .halfOpen, retryAfter: nil)
    }

    /// The breaker was isolated by hand and stays open until reset.
    public static func isolated(breakerName: String) -> Self {
        Self(code: .isolated, breakerName: breakerName, state: .open, retryAfter: nil)
    }

    /// Whether the rejection came from the half-open probe budget.
    public var isTooManyRequests: Bool { code == .tooManyRequests }

    /// Whether the rejection came from a manually isolated breaker.
    public var isIsolated: Bool { code == .isolated }

    public var description: String {
        switch code {
        case .open:
            let wait = retryAfter.map { " (next probe in \($0))" } ?? ""
            return "circuit breaker '\(breakerName)' is open\(wait)"
        case .tooManyRequests:
            return "circuit breaker '\(breakerName)' is half-open and has no probe slot left"
        case .isolated:
            return "circuit breaker '\(breakerName)' is isolated"
        }
    }

    /// Two rejections are equal when they have the same cause and breaker.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.breakerName == rhs.breakerName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(breakerName)
    }
}
