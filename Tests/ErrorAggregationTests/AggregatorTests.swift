import ErrorAggregation
import Foundation
import MetricsTestKit
import TelemetryCore
import TelemetryTesting
import Testing

@Suite struct AggregatorTests {
    static let start = Date(timeIntervalSince1970: 1_730_629_800)  // 2024-11-03T10:30:00Z

    func makeAggregator(
        _ configuration: ErrorAggregator.Configuration = .default,
        classifier: ErrorClassifier = .default,
        clock: TestClock,
        metrics: TestMetrics = TestMetrics()
    ) -> ErrorAggregator {
        ErrorAggregator(configuration: configuration, classifier: classifier, clock: clock, startDate: Self.start, metricsFactory: metrics)
    }

    @Test func countsAndRatesByServiceTypeAndSeverity() throws {
        let clock = TestClock()
        let aggregator = makeAggregator(clock: clock)
        for _ in 0..<100 { aggregator.recordRequest(service: "auth-service") }
        aggregator.record(service: "auth-service", type: .authentication, message: "bad token")
        aggregator.record(service: "auth-service", type: .authentication, message: "bad token")
        aggregator.record(service: "auth-service", type: .timeout, message: "db timeout")
        let stats = aggregator.stats()
        #expect(stats.totalErrors == 3)
        #expect(stats.totalRequests == 100)
        #expect(stats.byType == ["authentication": 2, "timeout": 1])
        #expect(stats.bySeverity == ["medium": 2, "high": 1])
        let service = try #require(stats.services["auth-service"])
        #expect(service.errorRates["authentication"] == 0.02)
        #expect(service.windows["1m"]?.errorRate == 0.03)
        #expect(service.windows["1m"]?.errorsPerSecond == 0.05)
        #expect(stats.windows["1h"]?.errors == 3)
        #expect(stats.timestamp == "2024-11-03T10:30:00Z")
        #expect(aggregator.errorRate(service: "auth-service", type: .timeout) == 0.01)
    }

    @Test func windowsExpire() throws {
        let clock = TestClock()
        let aggregator = makeAggregator(clock: clock)
        aggregator.recordRequest(service: "s")
        aggregator.record(service: "s", type: .internal, message: "x")
        clock.advance(by: .seconds(61))
        var stats = aggregator.stats()
        #expect(stats.windows["1m"]?.errors == 0)
        #expect(stats.windows["5m"]?.errors == 1)
        #expect(stats.windows["1h"]?.errors == 1)
        clock.advance(by: .seconds(240))
        stats = aggregator.stats()
        #expect(stats.windows["5m"]?.errors == 0)
        #expect(stats.windows["1h"]?.errors == 1)
        clock.advance(by: .seconds(3300))
        stats = aggregator.stats()
        #expect(stats.windows["1h"]?.errors == 0)
        #expect(stats.totalErrors == 1, "lifetime totals never expire")
        #expect(aggregator.errorRate(service: "s") == nil, "no requests left in the window")
    }

    @Test func weightsCountSampledSpansAsManyRequests() {
        let aggregator = makeAggregator(clock: TestClock())
        aggregator.recordRequest(service: "s", weight: 10)
        aggregator.record(service: "s", type: .internal, message: "x", weight: 10)
        aggregator.recordRequest(service: "s", weight: 10)
        #expect(aggregator.stats().totalRequests == 20)
        #expect(aggregator.errorRate(service: "s") == 0.5)
    }

    @Test func groupsByFingerprintNewestFirstWithSamples() throws {
        let clock = TestClock()
        let aggregator = makeAggregator(ErrorAggregator.Configuration(samplesPerGroup: 2), clock: clock)
        let trace = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
        aggregator.record(service: "user-service", type: .notFound, message: "user 1 not found", traceID: trace, spanID: SpanID(7))
        clock.advance(by: .seconds(5))
        aggregator.record(service: "user-service", type: .notFound, message: "user 2 not found")
        clock.advance(by: .seconds(5))
        aggregator.record(service: "user-service", type: .timeout, message: "db timeout after 30s")
        clock.advance(by: .seconds(5))
        aggregator.record(service: "user-service", type: .notFound, message: "user 3 not found")

        let details = aggregator.details()
        #expect(details.totalGroups == 2)
        let first = try #require(details.groups.first)
        #expect(first.message == "user <n> not found")
        #expect(first.count == 3)
        #expect(first.firstSeen == "2024-11-03T10:30:00Z")
        #expect(first.lastSeen == "2024-11-03T10:30:15Z")
        #expect(first.samples.map(\.message) == ["user 3 not found", "user 2 not found"], "two newest samples, newest first")
        #expect(details.groups.last?.type == .timeout)

        let old = aggregator.details(type: .notFound)
        #expect(old.groups.count == 1)
        #expect(aggregator.details(service: "nobody").groups.isEmpty)
        #expect(aggregator.details(limit: 1).groups.count == 1)
        #expect(aggregator.details(limit: 1).totalGroups == 2)
    }

    @Test func samplesCarryTraceIDs() throws {
        let aggregator = makeAggregator(clock: TestClock())
        let trace = TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736)
        aggregator.record(service: "s", type: .internal, message: "x", traceID: trace, spanID: SpanID(0x00f0_67aa_0ba9_02b7))
        let sample = try #require(aggregator.details().groups.first?.samples.first)
        #expect(sample.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(sample.spanID == "00f067aa0ba902b7")
    }

    @Test func memoryIsBounded() {
        let clock = TestClock()
        let aggregator = makeAggregator(ErrorAggregator.Configuration(maximumServices: 2, maximumGroups: 3), clock: clock)
        for index in 0..<10 {
            clock.advance(by: .seconds(1))
            aggregator.record(service: "service-\(index % 4)", type: .internal, message: "failure kind \(["a", "b", "c", "d", "e"][index % 5])")
        }
        let stats = aggregator.stats()
        #expect(Set(stats.services.keys) == ["service-0", "service-1", "other"])
        #expect(stats.totalErrors == 10)
        let details = aggregator.details()
        #expect(details.totalGroups == 3)
        #expect(details.groups.first?.lastSeen == "2024-11-03T10:30:10Z", "the newest group survives eviction")
    }

    @Test func exportsErrorRateGauge() throws {
        let metrics = TestMetrics()
        let clock = TestClock()
        let aggregator = makeAggregator(clock: clock, metrics: metrics)
        for _ in 0..<50 { aggregator.recordRequest(service: "auth-service") }
        aggregator.record(service: "auth-service", type: .authentication, message: "bad token")
        let gauge = try metrics.expectGauge("error_rate", [("service", "auth-service"), ("type", "authentication")])
        #expect(gauge.lastValue == 0.02)
        clock.advance(by: .seconds(400))
        aggregator.evaluate()
        #expect(gauge.lastValue == 0, "the rate decays once the window slides past the error")
    }

    @Test func severityEscalatesWithTheErrorRate() {
        let classifier = ErrorClassifier(configuration: .init(escalationErrorRate: 0.5, escalationMinimumRequests: 4))
        let aggregator = makeAggregator(classifier: classifier, clock: TestClock())
        for _ in 0..<4 { aggregator.recordRequest(service: "s") }
        #expect(aggregator.record(service: "s", type: .validation, message: "bad") == .low)
        #expect(aggregator.record(service: "s", type: .validation, message: "bad") == .critical)
        #expect(aggregator.stats().bySeverity == ["low": 1, "critical": 1])
        #expect(aggregator.details().groups.first?.severity == .critical)
    }

    @Test func recordsSpans() throws {
        let aggregator = makeAggregator(clock: TestClock())
        let ok = ClassificationTests.span(status: .ok)
        let failed = ClassificationTests.span(status: .error(description: "HTTP 503"), attributes: ["http.response.status_code": 503])
        #expect(aggregator.record(span: ok) == nil)
        let classification = try #require(aggregator.record(span: failed))
        #expect(classification == ErrorClassification(type: .serviceUnavailable, severity: .high))
        let stats = aggregator.stats()
        #expect(stats.services["user-service"]?.totalRequests == 2)
        #expect(stats.services["user-service"]?.byType == ["service_unavailable": 1])
        #expect(aggregator.details().groups.first?.samples.first?.traceID == TraceID(high: 1, low: 2).hexString)
    }

    @Test func recordsSwiftErrors() {
        struct TimeoutError: Error {}
        let aggregator = makeAggregator(clock: TestClock())
        #expect(aggregator.record(TimeoutError(), service: "s").type == .timeout)
        #expect(aggregator.stats().byType == ["timeout": 1])
    }

    @Test func snapshotsEncodeWithSnakeCaseKeys() throws {
        let aggregator = makeAggregator(clock: TestClock())
        aggregator.recordRequest(service: "s")
        aggregator.record(service: "s", type: .rateLimit, message: "slow down")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let stats = String(decoding: try encoder.encode(aggregator.stats()), as: UTF8.self)
        for key in ["total_errors", "total_requests", "by_type", "by_severity", "error_rates", "errors_per_second", "\"rate_limit\":1"] {
            #expect(stats.contains(key), "\(key) missing from \(stats)")
        }
        let details = String(decoding: try encoder.encode(aggregator.details()), as: UTF8.self)
        for key in ["total_groups", "first_seen", "last_seen", "\"type\":\"rate_limit\"", "\"severity\":\"medium\""] {
            #expect(details.contains(key), "\(key) missing from \(details)")
        }
    }
}

@Suite struct ErrorRateRefreshTests {
    @Test func refreshFollowsTheWindowBetweenErrors() throws {
        let metrics = TestMetrics()
        let clock = TestClock()
        let aggregator = ErrorAggregator(clock: clock, metricsFactory: metrics)
        for _ in 0..<10 { aggregator.recordRequest(service: "user-service") }
        aggregator.record(service: "user-service", type: .timeout, message: "upstream timed out")
        let gauge = try metrics.expectGauge("error_rate", [("service", "user-service"), ("type", "timeout")])
        #expect(gauge.lastValue == 0.1)

        for _ in 0..<10 { aggregator.recordRequest(service: "user-service") }
        #expect(gauge.lastValue == 0.1, "recording a request alone does not touch the gauge")
        aggregator.refreshMetrics()
        #expect(gauge.lastValue == 0.05)
        #expect(aggregator.errorRates()["user-service"]?[.timeout] == 0.05)

        clock.advance(by: .seconds(301))
        aggregator.refreshMetrics()
        #expect(gauge.lastValue == 0, "the error has left the 5-minute window")
        #expect(aggregator.errorRates()["user-service"]?[.timeout] == 0)
    }
}
