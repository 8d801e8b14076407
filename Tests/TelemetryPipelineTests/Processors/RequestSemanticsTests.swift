import ErrorAggregation
import TelemetryCore
import TelemetryTesting
import Testing

@testable import TelemetryPipeline

/// A service's requests are its entry spans (or, without any, its roots): counted once per
/// request and service, weighted 1/p, whatever else the trace contains.
@Suite("request semantics of the errors and health processors")
struct RequestSemanticsTests {
    static let second: UInt64 = 1_000_000_000

    /// The processors of one daemon, sharing their request roles as the daemon wires them.
    struct Harness {
        let registry = MetricRegistry()
        let roles = RequestRoles()
        let edge = EdgeRequestTally()
        let aggregator = ErrorAggregator(configuration: .init(exportsMetrics: false), clock: TestClock())
        let board = HealthBoard(configuration: .default)
        var errors: ErrorsProcessor {
            ErrorsProcessor(classifier: AggregationErrorClassifier(), aggregator: aggregator, registry: registry, roles: roles, edge: edge)
        }
        var health: HealthProcessor { HealthProcessor(board: board, breakers: BreakerBoard(), registry: registry, roles: roles) }

        func run(_ spans: [TelemetrySpanData], now: UInt64 = 10 * second) {
            _ = errors.process(spans, now: now)
            _ = health.process(spans, now: now)
        }

        func requests(_ service: String) -> Double? { registry.lookup("service_requests_total")?.value([service]) }
        func health(_ service: String) -> HealthBoard.ServiceHealth? { board.snapshot().first { $0.service == service } }
    }

    /// One failed request through gateway → auth-service → user-service, every span failing:
    /// 8 spans, 3 requests.
    static func failingTrace(trace: UInt64, traceState: TraceState = TraceState()) -> [TelemetrySpanData] {
        let failed = TelemetrySpanStatus.error(description: "HTTP 503")
        let status: TelemetryAttributes = ["http.response.status_code": 503]
        let base = trace * 100
        return [
            Spans.make(
                service: "api-gateway", name: "GET /api/v1/users/{id}", kind: .server, traceLow: trace, spanID: base + 1,
                status: failed, attributes: status, traceState: traceState),
            Spans.make(
                service: "api-gateway", name: "auth", kind: .internal, traceLow: trace, spanID: base + 2, parent: base + 1,
                status: failed, traceState: traceState),
            Spans.make(
                service: "api-gateway", name: "GET", kind: .client, traceLow: trace, spanID: base + 3, parent: base + 2,
                status: failed, attributes: status, traceState: traceState),
            Spans.make(
                service: "auth-service", name: "GET /verify", kind: .server, traceLow: trace, spanID: base + 4, parent: base + 3,
                status: failed, attributes: status, traceState: traceState),
            Spans.make(
                service: "auth-service", name: "GET", kind: .client, traceLow: trace, spanID: base + 5, parent: base + 4,
                status: failed, attributes: status, traceState: traceState),
            Spans.make(
                service: "user-service", name: "GET /users/{id}", kind: .server, traceLow: trace, spanID: base + 6, parent: base + 5,
                status: failed, attributes: status, traceState: traceState),
            Spans.make(
                service: "user-service", name: "SELECT", kind: .client, traceLow: trace, spanID: base + 7, parent: base + 6,
                status: failed, traceState: traceState),
            Spans.make(
                service: "user-service", name: "validate", kind: .internal, traceLow: trace, spanID: base + 8, parent: base + 6,
                traceState: traceState),
        ]
    }

    @Test("a failure crossing three services is one failed request in each, and one edge request")
    func fanOutCountsOncePerService() throws {
        let harness = Harness()
        harness.run(Self.failingTrace(trace: 1))
        for service in ["api-gateway", "auth-service", "user-service"] {
            #expect(harness.requests(service) == 1, "\(service)")
            #expect(harness.aggregator.stats().services[service]?.totalRequests == 1, "\(service)")
            #expect(harness.aggregator.stats().services[service]?.totalErrors == 1, "\(service)")
            #expect(harness.health(service)?.requests == 1, "\(service)")
            #expect(harness.health(service)?.errorRatio == 1, "\(service)")
        }
        _ = harness.registry.render()
        #expect(harness.registry.lookup("error_rate")?.value(["api-gateway", "service_unavailable"]) == 1)
        #expect(harness.registry.lookup("errors_total")?.value(["api-gateway", "service_unavailable", "high"]) == 1)
        #expect(harness.edge.current == (requests: 1, failed: 1))
    }

    @Test("outgoing calls do not dilute a service's error ratio")
    func outgoingCallsDoNotDilute() {
        let harness = Harness()
        // One failed request that made nine successful calls of its own.
        var spans = [Spans.make(service: "api-gateway", kind: .server, spanID: 1, status: .error(description: nil))]
        spans += (2...10).map { Spans.make(service: "api-gateway", kind: .client, spanID: UInt64($0), parent: 1) }
        harness.run(spans)
        #expect(harness.health("api-gateway")?.errorRatio == 1)
        #expect(harness.requests("api-gateway") == 1)
    }

    @Test("sampled requests count 1/p each: 3 traces at 10 % are 30 requests per service")
    func weightsBySamplingProbability() {
        let harness = Harness()
        let tenPercent = Spans.sampled(at: 0.1)
        harness.run((1...3).flatMap { Self.failingTrace(trace: UInt64($0), traceState: tenPercent) })
        // 1/p of the threshold as the trace state spells it (10.002, rounded to 4 hex digits).
        let expected = 3 * SamplingThreshold(traceState: tenPercent)!.adjustedCount
        #expect(abs(expected - 30) < 0.01)
        for service in ["api-gateway", "auth-service", "user-service"] {
            #expect(abs((harness.requests(service) ?? 0) - expected) < 1e-9, "\(service)")
        }
        #expect(abs(harness.edge.current.requests - expected) < 1e-9)
    }

    @Test("a service without entry spans counts its roots; once it sends entry spans, its roots no longer count")
    func rootsOfBatchJobs() {
        let harness = Harness()
        // A batch job: an INTERNAL root per run, with children.
        harness.run([
            Spans.make(service: "nightly-report", name: "run", kind: .internal, traceLow: 1, spanID: 1),
            Spans.make(service: "nightly-report", name: "query", kind: .client, traceLow: 1, spanID: 2, parent: 1),
            Spans.make(service: "nightly-report", name: "run", kind: .internal, traceLow: 2, spanID: 3, status: .error(description: nil)),
        ])
        #expect(harness.requests("nightly-report") == 2)
        #expect(harness.health("nightly-report")?.errorRatio == 0.5)

        // A server that also pings a dependency from a timer: the ping's CLIENT root is not a request,
        // neither in the batch with its entry spans nor in a later one without.
        harness.run([
            Spans.make(service: "user-service", kind: .server, traceLow: 3, spanID: 4),
            Spans.make(service: "user-service", name: "ping", kind: .client, traceLow: 4, spanID: 5),
        ])
        harness.run([Spans.make(service: "user-service", name: "ping", kind: .client, traceLow: 5, spanID: 6)])
        #expect(harness.requests("user-service") == 1)
    }

    @Test("a 4xx answer is an error of its type for the error statistics, not a failure for health")
    func clientErrors() {
        let harness = Harness()
        harness.run([
            Spans.make(service: "auth-service", kind: .server, spanID: 1, attributes: ["http.response.status_code": 401, "error.type": "authentication"]),
            Spans.make(service: "auth-service", kind: .server, spanID: 2, attributes: ["http.response.status_code": 404]),
            Spans.make(service: "auth-service", kind: .server, spanID: 3, attributes: ["http.response.status_code": 200]),
            Spans.make(service: "auth-service", kind: .server, spanID: 4, attributes: ["http.response.status_code": 200]),
        ])
        let stats = harness.aggregator.stats().services["auth-service"]
        #expect(stats?.totalRequests == 4)
        #expect(stats?.byType == ["authentication": 1, "not_found": 1])
        #expect(harness.health("auth-service")?.errorRatio == 0)
    }

    @Test("a full memory of services with entry spans forgets idle ones, so names sent once do not crowd out real services")
    func rememberedServicesAreBounded() {
        let roles = RequestRoles(maximumServices: 2, idleExpiry: .seconds(60))
        func judge(_ spans: [TelemetrySpanData], now: UInt64) -> [RequestRole] {
            var services = ServiceIndex()
            let serviceOf = spans.map { services.index(of: $0) }
            return spans.withUnsafeBufferPointer { roles.roles($0, serviceOfSpan: serviceOf, serviceNames: services.names, now: now) }
        }
        _ = judge([Spans.make(service: "hostile-1", spanID: 1), Spans.make(service: "hostile-2", spanID: 2)], now: 0)
        #expect(roles.rememberedCount == 2)
        // Minutes later a real service arrives: its entry spans are remembered in place of the idle names…
        _ = judge([Spans.make(service: "user-service", spanID: 3)], now: 120 * Self.second)
        #expect(roles.rememberedCount == 1)
        // …so its root CLIENT ping in a later batch is not taken for a request.
        let ping = judge([Spans.make(service: "user-service", name: "ping", kind: .client, spanID: 4)], now: 121 * Self.second)
        #expect(ping == [.none])
    }

    @Test("a 5xx answer with its status left unset, as some SDKs send it, is a failure for health too")
    func unsetStatusFiveHundred() {
        let harness = Harness()
        harness.run([
            Spans.make(service: "legacy", kind: .server, spanID: 1, attributes: ["http.status_code": 503]),
            Spans.make(service: "legacy", kind: .server, spanID: 2, attributes: ["http.status_code": 200]),
        ])
        #expect(harness.health("legacy")?.errorRatio == 0.5)
        #expect(harness.aggregator.stats().services["legacy"]?.totalErrors == 1)
    }

    @Test("breaker reports are never requests")
    func breakerReportsAreNotRequests() {
        let harness = Harness()
        harness.run([
            Spans.make(
                service: "batch", name: "circuit_breaker.state_change", kind: .internal, spanID: 1,
                attributes: ["circuit_breaker.name": "db", "circuit_breaker.to_state": "open"]),
            Spans.make(
                service: "batch", name: "circuit_breaker.report", kind: .internal, spanID: 2,
                attributes: ["circuit_breaker.name": "db", "circuit_breaker.state": "open"]),
        ])
        #expect(harness.requests("batch") == nil)
        #expect(harness.edge.current.requests == 0)
    }
}
