import CircuitBreakers
import ErrorAggregation
import TelemetryCore
import Testing

@Suite struct ClassificationTests {
    @Test(arguments: [
        (401, ErrorType.authentication), (403, .authorization), (400, .validation), (422, .validation),
        (404, .notFound), (429, .rateLimit), (503, .serviceUnavailable), (504, .timeout), (408, .timeout),
        (500, .internal), (502, .internal), (599, .internal), (409, .validation),
    ])
    func httpStatusTable(status: Int, expected: ErrorType) {
        #expect(ErrorClassifier.classify(statusCode: status) == expected)
    }

    @Test(arguments: [200, 204, 301, 399])
    func successStatusesAreNotErrors(status: Int) {
        #expect(ErrorClassifier.classify(statusCode: status) == nil)
    }

    @Test func rawValuesAreTheSeedNames() {
        #expect(
            ErrorType.allCases.map(\.rawValue) == [
                "authentication", "authorization", "validation", "service_unavailable", "timeout",
                "rate_limit", "circuit_breaker", "internal", "not_found",
            ])
        #expect(Severity.allCases.map(\.rawValue) == ["low", "medium", "high", "critical"])
        #expect(Severity.low < .medium && Severity.high < .critical)
    }

    struct QuotaError: ClassifiableError {
        var errorType: ErrorType { .rateLimit }
        var severity: Severity? { .critical }
    }

    struct TimeoutError: Error {}
    struct RateLimitError: Error {}
    struct Mystery: Error {}

    @Test func swiftErrors() {
        #expect(ErrorClassifier.classify(QuotaError()) == .rateLimit)
        #expect(ErrorClassifier.default.classify(QuotaError()).severity == .critical)
        #expect(ErrorClassifier.classify(CancellationError()) == .timeout)
        #expect(ErrorClassifier.classify(CircuitBreakerRejectedError.open(breakerName: "x", retryAfter: .seconds(1))) == .circuitBreaker)
        #expect(ErrorClassifier.classify(TimeoutError()) == .timeout)
        #expect(ErrorClassifier.classify(RateLimitError()) == .rateLimit)
        #expect(ErrorClassifier.classify(Mystery()) == .internal)
    }

    @Test(arguments: [
        ("TimeoutError", ErrorType.timeout), ("java.net.SocketTimeoutException", .timeout), ("DeadlineExceeded", .timeout),
        ("RateLimitError", .rateLimit), ("TooManyRequests", .rateLimit), ("AuthenticationError", .authentication),
        ("UnauthorizedException", .authentication), ("AuthorizationError", .authorization), ("PermissionDenied", .authorization),
        ("ValidationError", .validation), ("NotFoundError", .notFound), ("ServiceUnavailableError", .serviceUnavailable),
        ("ConnectionRefusedError", .serviceUnavailable), ("CircuitBreakerOpen", .circuitBreaker), ("InternalError", .internal),
        ("service_unavailable", .serviceUnavailable),
    ])
    func exceptionTypeNames(name: String, expected: ErrorType) {
        #expect(ErrorClassifier.classify(typeName: name) == expected)
    }

    @Test func unknownTypeNameIsNil() {
        #expect(ErrorClassifier.classify(typeName: "KeyboardInterrupt") == nil)
    }

    static func span(
        kind: TelemetrySpanKind = .server,
        status: TelemetrySpanStatus,
        attributes: TelemetryAttributes = [:],
        events: [TelemetrySpanEvent] = []
    ) -> TelemetrySpanData {
        TelemetrySpanData(
            traceID: TraceID(high: 1, low: 2),
            spanID: SpanID(3),
            name: "GET /users",
            kind: kind,
            startTimeNanos: 0,
            endTimeNanos: 1,
            attributes: attributes,
            events: events,
            status: status,
            resource: TelemetryResource(attributes: ["service.name": "user-service"])
        )
    }

    @Test func spans() {
        #expect(ErrorClassifier.classify(span: Self.span(status: .ok)) == nil)
        #expect(ErrorClassifier.classify(span: Self.span(status: .unset)) == nil)
        #expect(
            ErrorClassifier.classify(span: Self.span(kind: .client, status: .unset, attributes: ["http.response.status_code": 404])) == nil,
            "a 4xx without an error status is not a failure"
        )
        #expect(ErrorClassifier.classify(span: Self.span(status: .unset, attributes: ["http.response.status_code": 502])) == .internal)
        #expect(
            ErrorClassifier.classify(span: Self.span(status: .error(description: "HTTP 503"), attributes: ["http.response.status_code": 503]))
                == .serviceUnavailable
        )
        #expect(ErrorClassifier.classify(span: Self.span(status: .error(description: nil), attributes: ["http.status_code": "429"])) == .rateLimit)
        #expect(ErrorClassifier.classify(span: Self.span(status: .error(description: nil), attributes: ["error.type": "timeout"])) == .timeout)
        #expect(ErrorClassifier.classify(span: Self.span(status: .error(description: nil), attributes: ["error.type": "401"])) == .authentication)
        #expect(
            ErrorClassifier.classify(span: Self.span(status: .error(description: nil), attributes: ["error.type": "RateLimitError"])) == .rateLimit
        )
        let exception = TelemetrySpanEvent(
            name: "exception",
            timeNanos: 0,
            attributes: ["exception.type": "TimeoutError", "exception.message": "upstream took 5000 ms"]
        )
        let withException = Self.span(status: .error(description: "boom"), events: [exception])
        #expect(ErrorClassifier.classify(span: withException) == .timeout)
        #expect(ErrorClassifier.message(of: withException) == "upstream took 5000 ms")
        #expect(ErrorClassifier.classify(span: Self.span(status: .error(description: "HTTP 403"))) == .authorization)
        #expect(ErrorClassifier.classify(span: Self.span(status: .error(description: "something broke"))) == .internal)
    }

    @Test func theConformancePeerWorkload() {
        // send_spans.py marks a failed server span with the status, error.type and an exception event.
        for (status, exceptionType, expected) in [
            (400, "ValidationError", ErrorType.validation), (401, "AuthenticationError", .authentication),
            (403, "AuthorizationError", .authorization), (404, "NotFoundError", .notFound), (429, "RateLimitError", .rateLimit),
            (500, "InternalError", .internal), (503, "ServiceUnavailableError", .serviceUnavailable), (504, "TimeoutError", .timeout),
        ] {
            let span = Self.span(
                status: .error(description: "HTTP \(status)"),
                attributes: ["http.response.status_code": .int(Int64(status)), "error.type": .string(String(status))],
                events: [TelemetrySpanEvent(name: "exception", timeNanos: 0, attributes: ["exception.type": .string(exceptionType)])]
            )
            #expect(ErrorClassifier.classify(span: span) == expected)
        }
    }
}

@Suite struct SeverityTests {
    @Test func defaults() {
        let classifier = ErrorClassifier.default
        #expect(classifier.severity(of: .validation) == .low)
        #expect(classifier.severity(of: .notFound) == .low)
        #expect(classifier.severity(of: .authentication) == .medium)
        #expect(classifier.severity(of: .rateLimit) == .medium)
        #expect(classifier.severity(of: .timeout) == .high)
        #expect(classifier.severity(of: .internal) == .high)
    }

    @Test func configurable() {
        var configuration = ErrorClassifier.Configuration.default
        configuration.severities[.notFound] = .medium
        #expect(ErrorClassifier(configuration: configuration).severity(of: .notFound) == .medium)
    }

    @Test func escalatesPastTheRateThresholdWithEnoughTraffic() {
        let classifier = ErrorClassifier(configuration: .init(escalationErrorRate: 0.2, escalationMinimumRequests: 10))
        #expect(classifier.severity(of: .validation, errorRate: 0.19, requests: 100) == .low)
        #expect(classifier.severity(of: .validation, errorRate: 0.2, requests: 100) == .critical)
        #expect(classifier.severity(of: .validation, errorRate: 1.0, requests: 5) == .low, "too few requests to judge")
    }
}
