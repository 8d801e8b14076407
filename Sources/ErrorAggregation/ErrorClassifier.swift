import TelemetryCore

/// Maps HTTP statuses, Swift errors and spans to the seed's error types and severities.
///
/// Type classification is pure (the static functions); severities are configurable per
/// instance, and escalate to `critical` when a type's error rate for a service crosses
/// ``Configuration/escalationErrorRate``.
public struct ErrorClassifier: Sendable {
    /// Default severities and the escalation rule.
    public struct Configuration: Sendable, Hashable {
        /// Severity per error type. Default: validation and not_found `low`; authentication,
        /// authorization and rate_limit `medium`; timeout, service_unavailable,
        /// circuit_breaker and internal `high`.
        public var severities: [ErrorType: Severity]
        /// Error rate (errors ÷ requests of one service and type) at or above which
        /// severity becomes `critical`; `nil` never escalates. Default 0.5.
        public var escalationErrorRate: Double?
        /// Requests a service must have in the rate window before escalation applies, so
        /// one failed request of one is not an emergency. Default 20.
        public var escalationMinimumRequests: Double

        /// Creates a configuration.
        public init(
            severities: [ErrorType: Severity] = Configuration.defaultSeverities,
            escalationErrorRate: Double? = 0.5,
            escalationMinimumRequests: Double = 20
        ) {
            self.severities = severities
            self.escalationErrorRate = escalationErrorRate
            self.escalationMinimumRequests = escalationMinimumRequests
        }

        /// The severities used when none are configured.
        public static let defaultSeverities: [ErrorType: Severity] = [
            .authentication: .medium,
            .authorization: .medium,
            .validation: .low,
            .notFound: .low,
            .rateLimit: .medium,
            .timeout: .high,
            .serviceUnavailable: .high,
            .circuitBreaker: .high,
            .internal: .high,
        ]

        /// Default severities, escalation at a 50% error rate over at least 20 requests.
        public static let `default` = Configuration()
    }

    /// The classifier's configuration.
    public var configuration: Configuration

    /// Creates a classifier.
    public init(configuration: Configuration = .default) {
        self.configuration = configuration
    }

    /// A classifier with the default configuration.
    public static let `default` = ErrorClassifier()

    /// The configured severity of `type`, escalated to `critical` when `errorRate` over
    /// `requests` requests reaches the escalation threshold.
    public func severity(of type: ErrorType, errorRate: Double? = nil, requests: Double = .infinity) -> Severity {
        let base = configuration.severities[type] ?? .medium
        if let threshold = configuration.escalationErrorRate, let errorRate,
            requests >= configuration.escalationMinimumRequests, errorRate >= threshold
        {
            return .critical
        }
        return base
    }

    /// Type and default severity of a Swift error; a ``ClassifiableError``'s own severity wins.
    public func classify(_ error: any Error) -> ErrorClassification {
        let type = Self.classify(error)
        let severity = (error as? any ClassifiableError)?.severity ?? severity(of: type)
        return ErrorClassification(type: type, severity: severity)
    }

    /// Type and default severity of a span, or `nil` if the span did not fail.
    public func classify(span: TelemetrySpanData) -> ErrorClassification? {
        guard let type = Self.classify(span: span) else { return nil }
        return ErrorClassification(type: type, severity: severity(of: type))
    }

    // MARK: Type classification

    /// The error type an HTTP status code stands for; `nil` below 400.
    public static func classify(statusCode: Int) -> ErrorType? {
        switch statusCode {
        case 401: .authentication
        case 403: .authorization
        case 400, 422: .validation
        case 404: .notFound
        case 429: .rateLimit
        case 503: .serviceUnavailable
        case 504, 408: .timeout
        case 500...599: .internal
        case 400...499: .validation
        default: nil
        }
    }

    /// The error type of a Swift error.
    ///
    /// ``ClassifiableError`` answers for itself; `CancellationError` counts as `timeout`, since a
    /// cancelled request has almost always run past a deadline; otherwise the type's name and
    /// description are matched against well-known words (`CircuitBreaker`, `Timeout`,
    /// `RateLimit`, `NotFound`, …), defaulting to `internal`. A breaker's
    /// `CircuitBreakerRejectedError` is `circuit_breaker` by its name, so this module needs no
    /// dependency on the breakers.
    public static func classify(_ error: any Error) -> ErrorType {
        if let classifiable = error as? any ClassifiableError { return classifiable.errorType }
        if error is CancellationError { return .timeout }
        let typeName = String(describing: Swift.type(of: error))
        if let type = classify(typeName: typeName) { return type }
        if let type = classify(typeName: String(describing: error)) { return type }
        return .internal
    }

    /// The error type suggested by an exception or error type name such as `TimeoutError`,
    /// `RateLimitError` or `java.net.SocketTimeoutException`; `nil` if nothing matches.
    public static func classify(typeName: String) -> ErrorType? {
        let key = String(typeName.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
        if let exact = ErrorType(rawValue: key) { return exact }
        for (words, type) in nameRules where words.contains(where: key.contains) {
            return type
        }
        return nil
    }

    /// Checked in order: the first rule with a matching word wins.
    private static let nameRules: [([String], ErrorType)] = [
        (["circuitbreaker", "breakeropen", "circuitopen"], .circuitBreaker),
        (["timeout", "timedout", "deadline"], .timeout),
        (["ratelimit", "toomanyrequests", "throttl", "quotaexceeded"], .rateLimit),
        (["unauthenticated", "authentication", "unauthorized", "notauthenticated", "invalidtoken", "tokenexpired", "invalidcredentials"], .authentication),
        (["forbidden", "authorization", "permissiondenied", "accessdenied", "notpermitted"], .authorization),
        (["notfound", "nosuch", "missingresource"], .notFound),
        (
            ["serviceunavailable", "unavailable", "connectionrefused", "connectionreset", "connecterror", "connectionerror", "econnrefused"],
            .serviceUnavailable
        ),
        (["validation", "invalid", "badrequest", "malformed", "unprocessable", "valueerror", "decodingerror"], .validation),
        (["internal", "servererror"], .internal),
    ]
}
