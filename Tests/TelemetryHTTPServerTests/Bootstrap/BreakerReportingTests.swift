import CircuitBreakers
import ServiceContextModule
import TelemetryCore
import TelemetryTesting
import TelemetryTracing
import Testing
import Tracing

@testable import TelemetryHTTPServer

/// Breaker transitions and state reports reach the exporter whatever the sampler decides,
/// each as one root span of weight 1.
@Suite struct BreakerReportingTests {
    struct Boom: Error {}

    /// Runs `body` with a tracer on `sampler` whose spans land in the returned exporter.
    static func withTracer(
        sampler: any Sampler, _ body: (TelemetryTracer) async throws -> Void
    ) async throws -> [TelemetrySpanData] {
        let exporter = InMemorySpanExporter()
        let processor = SimpleSpanProcessor(exporter: exporter)
        let tracer = TelemetryTracer(
            processor: processor, configuration: .init(sampler: sampler, resource: TelemetryResource(serviceName: "auth-service")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await processor.run() }
            try await body(tracer)
            try await processor.forceFlush()
            tasks.cancelAll()
        }
        return exporter.spans
    }

    static let trips = CircuitBreaker.Configuration(
        maxRequests: 1, interval: .zero, timeout: .seconds(5), readyToTrip: CircuitBreaker.Configuration.consecutiveFailures(2))

    @Test(
        "a transition is a sampled root span at every ratio, linked to the request that caused it",
        arguments: [
            ("always_off", AlwaysOffSampler() as any Sampler),
            ("1 %, parent-based", ParentBasedSampler(root: TraceIDRatioSampler(probability: 0.01)) as any Sampler),
            ("parent-based, always_off root", ParentBasedSampler(root: AlwaysOffSampler()) as any Sampler),
        ])
    func transitionsSurviveSampling(name: String, sampler: any Sampler) async throws {
        let clock = TestClock()
        let spans = try await Self.withTracer(sampler: sampler) { tracer in
            let breaker = CircuitBreaker(
                name: "user-client", service: "auth-service", configuration: Self.trips, clock: clock, tracer: tracer)
            // Inside an unsampled request, as nearly every request is at these ratios.
            tracer.withSpan("GET /login", ofKind: .server) { _ in
                for _ in 0..<2 { _ = try? breaker.execute { () throws -> Int in throw Boom() } }
            }
            clock.advance(by: .seconds(6))
            #expect(breaker.state == .halfOpen)
            _ = try? breaker.execute { 1 }
        }
        let changes = spans.filter { $0.name == CircuitBreaker.stateChangeEventName }
        #expect(changes.map { $0.attributes["circuit_breaker.to_state"]?.stringValue } == ["open", "half_open", "closed"], "\(name)")
        for change in changes {
            #expect(change.parentSpanID == nil)
            #expect(change.kind == .internal)
            #expect(change.adjustedCount == 1)
            #expect(change.traceState["ot"] == "th:0")
            #expect(change.attributes["circuit_breaker.name"]?.stringValue == "user-client")
            #expect(change.resource.serviceName == "auth-service")
        }
        #expect(changes.first?.links.count == 1, "the trip links to the request that tripped it")
        #expect(!spans.contains { $0.name == "GET /login" }, "the request itself stays unsampled")
    }

    @Test("a sampled request carries the change as an event with the same timestamp as its span")
    func eventAndSpanShareTheirTime() async throws {
        let spans = try await Self.withTracer(sampler: AlwaysOnSampler()) { tracer in
            let breaker = CircuitBreaker(
                name: "user-client", service: "auth-service", configuration: Self.trips, clock: TestClock(), tracer: tracer)
            tracer.withSpan("GET /login", ofKind: .server) { _ in
                for _ in 0..<2 { _ = try? breaker.execute { () throws -> Int in throw Boom() } }
            }
        }
        let request = try #require(spans.first { $0.name == "GET /login" })
        let event = try #require(request.events.first { $0.name == CircuitBreaker.stateChangeEventName })
        let change = try #require(spans.first { $0.name == CircuitBreaker.stateChangeEventName })
        #expect(event.timeNanos == change.startTimeNanos)
        #expect(change.links.first?.context.spanID == request.spanID)
    }

    @Test("the reporter sends every breaker's state at start and then at each interval")
    func reporterReportsStates() async throws {
        let spans = try await Self.withTracer(sampler: AlwaysOffSampler()) { tracer in
            let registry = CircuitBreakerRegistry(service: "auth-service", clock: TestClock(), tracer: tracer)
            _ = registry.breaker(named: "user-client")
            registry.breaker(named: "billing").forceOpen()
            registry.reportStates()
        }
        let reports = spans.filter { $0.name == CircuitBreaker.stateReportSpanName }
        let states = Dictionary(
            uniqueKeysWithValues: reports.compactMap { span in
                span.attributes["circuit_breaker.name"]?.stringValue.map { ($0, span.attributes["circuit_breaker.state"]?.stringValue) }
            })
        #expect(states == ["user-client": "closed", "billing": "open"])
        #expect(reports.allSatisfy { $0.parentSpanID == nil && $0.adjustedCount == 1 })
    }
}
