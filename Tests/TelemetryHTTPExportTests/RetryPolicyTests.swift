import TelemetryCore
import TelemetryHTTPExport
import Testing

@Suite struct RetryPolicyTests {
    @Test func retryableStatuses() {
        #expect([429, 502, 503, 504].allSatisfy(RetryPolicy.isRetryable(status:)))
        #expect(![400, 401, 403, 404, 413, 500, 501].contains(where: RetryPolicy.isRetryable(status:)))
    }

    @Test func backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
        let policy = RetryPolicy(initialBackoff: .seconds(1), maximumBackoff: .seconds(4))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, jitter: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2, retryAfter: nil, jitter: 1) == .seconds(2))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, jitter: 0) == .seconds(2))
        #expect(policy.delay(afterAttempt: 10, retryAfter: nil, jitter: 1) == .seconds(4))
        #expect(policy.delay(afterAttempt: 2, retryAfter: .seconds(7), jitter: 0) == .seconds(7))
    }

    @Test func retryAfterSeconds() {
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == .seconds(0))
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero, "a date already past means retry now")
    }

    @Test func exporterKindFromEnvironment() throws {
        #expect(try TraceExporterKind.fromEnvironment([:]) == .otlp)
        #expect(try TraceExporterKind.fromEnvironment(["OTEL_TRACES_EXPORTER": "jaeger"]) == .jaeger)
        #expect(try TraceExporterKind.fromEnvironment(["OTEL_TRACES_EXPORTER": "none"]) == .none)
        #expect(try TraceExporterKind.fromEnvironment(["OTEL_TRACES_EXPORTER": "console,otlp"]) == .console)
        #expect(try TraceExporterKind.fromEnvironment(["TRACING_ENDPOINT": "http://jaeger:14268/api/traces"]) == .jaeger)
        #expect(try TraceExporterKind.fromEnvironment(["TRACING_ENDPOINT": "http://collector:4318/v1/traces"]) == .otlp)
        #expect(try TraceExporterKind.fromEnvironment(["TRACING_ENABLED": "false", "TRACING_ENDPOINT": "http://j/api/traces"]) == .none)
        #expect(throws: ConfigurationError.self) { try TraceExporterKind.fromEnvironment(["OTEL_TRACES_EXPORTER": "zipkin"]) }
    }
}
