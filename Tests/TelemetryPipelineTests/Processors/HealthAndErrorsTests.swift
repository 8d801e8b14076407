import CircuitBreakers
import ErrorAggregation
import TelemetryCore
import TelemetryTesting
import Testing

@testable import TelemetryPipeline

@Suite("errors, health and circuit breakers")
struct HealthAndErrorsTests {
    static let second: UInt64 = 1_000_000_000

    /// `count` server spans of `service`, `errors` of them failed with HTTP `status`.
    static func workload(service: String, count: Int, errors: Int, status: Int64 = 500, millis: UInt64 = 20) -> [TelemetrySpanData] {
        (0..<count).map { i in
            Spans.make(
                service: service, traceLow: UInt64(i + 1), spanID: UInt64(i + 1), durationMillis: millis,
                status: i < errors ? .error(description: "HTTP \(status)") : .unset,
                attributes: i < errors ? ["http.response.status_code": .int(status)] : [:])
        }
    }

    @Test("0%, 10% and 40% error workloads are healthy, degraded and unhealthy")
    func statusFromErrorRatio() {
        let registry = MetricRegistry()
        let board = HealthBoard(configuration: .default)
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: registry)
        var spans = Self.workload(service: "auth-service", count: 100, errors: 0)
        spans += Self.workload(service: "user-service", count: 100, errors: 10)
        spans += Self.workload(service: "catalog-service", count: 100, errors: 40)
        _ = processor.process(spans, now: 100 * Self.second)
        let status = Dictionary(uniqueKeysWithValues: board.snapshot().map { ($0.service, $0.status) })
        #expect(status == ["auth-service": .healthy, "user-service": .degraded, "catalog-service": .unhealthy])
        let gauge = registry.lookup("service_health_status")!
        #expect(gauge.value(["auth-service"]) == 0)
        #expect(gauge.value(["user-service"]) == 1)
        #expect(gauge.value(["catalog-service"]) == 2)
        #expect(Set(board.alerts().map(\.service)) == ["user-service", "catalog-service"])
        #expect(board.alerts().first { $0.service == "catalog-service" }?.level == "critical")
    }

    @Test("errors leave the window and the service recovers, with a recovery alert")
    func slidingWindowRecovers() {
        let board = HealthBoard(configuration: .init(window: .seconds(60)))
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: MetricRegistry())
        _ = processor.process(Self.workload(service: "s", count: 10, errors: 5), now: 1000 * Self.second)
        #expect(board.snapshot().first?.status == .unhealthy)
        _ = processor.tick(now: 1030 * Self.second)
        #expect(board.snapshot().first?.status == .unhealthy)
        _ = processor.process(Self.workload(service: "s", count: 10, errors: 0), now: 1070 * Self.second)
        #expect(board.snapshot().first?.status == .healthy)
        #expect(board.alerts().last?.level == "info")
    }

    @Test("a slow p99 degrades a service even without errors")
    func latencyDegrades() {
        let board = HealthBoard(configuration: .default)
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: MetricRegistry())
        _ = processor.process(Self.workload(service: "slow", count: 100, errors: 0, millis: 1500), now: 10 * Self.second)
        let health = board.snapshot().first
        #expect(health?.status == .degraded)
        #expect((health?.p99Seconds ?? 0) >= 1.5)
    }

    @Test("an open breaker makes its service unhealthy, half-open degraded")
    func breakerDrivesHealth() {
        let registry = MetricRegistry()
        let breakers = BreakerBoard()
        let breakerProcessor = CircuitBreakerProcessor(board: breakers, registry: registry)
        let board = HealthBoard(configuration: .default)
        let health = HealthProcessor(board: board, breakers: breakers, registry: registry)
        let open = TelemetrySpanEvent(
            name: "circuit_breaker.state_change", timeNanos: 5,
            attributes: ["circuit_breaker.name": "user-client", "circuit_breaker.from_state": "CLOSED", "circuit_breaker.to_state": "OPEN"])
        let spans = [Spans.make(service: "auth-service", events: [open])]
        _ = health.process(breakerProcessor.process(spans, now: Self.second), now: Self.second)
        #expect(board.snapshot().first?.status == .unhealthy)
        #expect(registry.lookup("circuit_breaker_state")?.value(["auth-service", "user-client"]) == 2)
        #expect(registry.lookup("circuit_breaker_state_changes_total")?.value(["auth-service", "user-client", "closed", "open"]) == 1)

        let halfOpen = TelemetrySpanEvent(
            name: "circuit_breaker.state_change", timeNanos: 9,
            attributes: ["circuit_breaker.name": "user-client", "circuit_breaker.from_state": "OPEN", "circuit_breaker.to_state": "HALF_OPEN"])
        _ = health.process(
            breakerProcessor.process([Spans.make(service: "auth-service", spanID: 2, events: [halfOpen])], now: 2 * Self.second), now: 2 * Self.second)
        #expect(board.snapshot().first?.status == .degraded)
        #expect(breakers.reset(service: "auth-service", name: nil, now: 2 * Self.second) == 1)
        #expect(breakers.worstState(service: "auth-service", now: 2 * Self.second) == .closed)
    }

    @Test("errors are classified by HTTP status into the seed's types and error_rate is errors per request")
    func classifiesErrors() throws {
        let registry = MetricRegistry()
        let aggregator = ErrorAggregator(configuration: .init(exportsMetrics: false), clock: TestClock())
        let processor = ErrorsProcessor(classifier: AggregationErrorClassifier(), aggregator: aggregator, registry: registry)
        var spans = Self.workload(service: "auth-service", count: 50, errors: 5, status: 401)
        spans += [Spans.make(service: "auth-service", spanID: 99, status: .error(description: nil), attributes: ["http.response.status_code": 503])]
        _ = processor.process(spans, now: 0)
        _ = registry.render()
        let rate = registry.lookup("error_rate")!
        #expect(abs((rate.value(["auth-service", "authentication"]) ?? 0) - 5.0 / 51) < 1e-9)
        #expect(abs((rate.value(["auth-service", "service_unavailable"]) ?? 0) - 1.0 / 51) < 1e-9)
        #expect(registry.lookup("errors_total")?.value(["auth-service", "authentication", "medium"]) == 5)
        let details = aggregator.details(service: "auth-service", type: .serviceUnavailable, limit: 10)
        #expect(details.groups.count == 1)
        #expect(details.groups.first?.samples.first?.spanID == SpanID(99).hexString)
        #expect(aggregator.stats().services["auth-service"]?.totalRequests == 51)
    }

    @Test("error_rate is windowed: it falls with later successes and returns to 0 after the window")
    func errorRateIsWindowed() {
        let clock = TestClock()
        let registry = MetricRegistry()
        let aggregator = ErrorAggregator(configuration: .init(exportsMetrics: false), clock: clock)
        let processor = ErrorsProcessor(classifier: AggregationErrorClassifier(), aggregator: aggregator, registry: registry)
        _ = processor.process(Self.workload(service: "user-service", count: 20, errors: 2, status: 500), now: 0)
        func rate() -> Double? {
            _ = registry.render()
            return registry.lookup("error_rate")?.value(["user-service", "internal"])
        }
        #expect(rate() == 0.1)
        _ = processor.process(Self.workload(service: "user-service", count: 20, errors: 0, status: 500), now: 0)
        #expect(rate() == 0.05, "later successes lower the rate without a new error")
        clock.advance(by: .seconds(6 * 60))
        _ = processor.process(Self.workload(service: "user-service", count: 10, errors: 0, status: 500), now: 0)
        #expect(rate() == 0, "errors older than the window no longer count")
        #expect(registry.render().contains(#"error_rate{service="user-service",type="internal"} 0"#))
    }

    @Test("every failure status of the workload maps to its seed type")
    func statusTable() {
        let expected: [Int64: String] = [
            400: "validation", 401: "authentication", 403: "authorization", 404: "not_found", 429: "rate_limit",
            500: "internal", 503: "service_unavailable", 504: "timeout",
        ]
        let classifier = AggregationErrorClassifier()
        for (code, type) in expected {
            let span = Spans.make(status: .error(description: "HTTP \(code)"), attributes: ["http.response.status_code": .int(code)])
            #expect(classifier.classify(span)?.type == type)
        }
        #expect(classifier.classify(Spans.make()) == nil)
    }
}
