import CircuitBreakers
import TelemetryCore
import Testing

@testable import TelemetryPipeline

/// Breaker state rebuilt from state-change spans, periodic reports and request events:
/// ordered by their own time, counted once, stale after silence, bounded.
@Suite("circuit breaker reports")
struct BreakerReportTests {
    static let second: UInt64 = 1_000_000_000

    struct Harness {
        let registry = MetricRegistry()
        let board: BreakerBoard
        let processor: CircuitBreakerProcessor

        init(_ configuration: BreakerBoard.Configuration = .default) {
            board = BreakerBoard(configuration: configuration)
            processor = CircuitBreakerProcessor(board: board, registry: registry)
        }

        func run(_ spans: [TelemetrySpanData], now: UInt64) { _ = processor.process(spans, now: now) }
        var gauge: MetricFamily { registry.lookup("circuit_breaker_state")! }
        func changes(_ labels: [String]) -> Double? { registry.lookup("circuit_breaker_state_changes_total")?.value(labels) }
    }

    static func change(
        _ from: String, _ to: String, at seconds: UInt64, service: String = "api-gateway", breaker: String = "user-service", id: UInt64 = 1
    ) -> TelemetrySpanData {
        Spans.make(
            service: service, name: "circuit_breaker.state_change", kind: .internal, traceLow: id, spanID: id,
            startNanos: seconds * second, durationMillis: 0,
            attributes: ["circuit_breaker.name": .string(breaker), "circuit_breaker.from_state": .string(from), "circuit_breaker.to_state": .string(to)])
    }

    static func report(_ state: String, at seconds: UInt64, breaker: String = "user-service", id: UInt64 = 50) -> TelemetrySpanData {
        Spans.make(
            service: "api-gateway", name: "circuit_breaker.report", kind: .internal, traceLow: id, spanID: id,
            startNanos: seconds * second, durationMillis: 0,
            attributes: ["circuit_breaker.name": .string(breaker), "circuit_breaker.state": .string(state)])
    }

    @Test("state-change spans drive the state and the gauge")
    func spansDriveState() {
        let harness = Harness()
        harness.run([Self.change("closed", "open", at: 100)], now: 101 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 2)
        harness.run([Self.change("open", "half_open", at: 105, id: 2), Self.change("half_open", "closed", at: 106, id: 3)], now: 107 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 0)
        #expect(harness.changes(["api-gateway", "user-service", "closed", "open"]) == 1)
        #expect(harness.changes(["api-gateway", "user-service", "half_open", "closed"]) == 1)
    }

    @Test("transitions are ordered by their own time, not by arrival")
    func orderedByTime() {
        let harness = Harness()
        // The close arrives first (another exporter's batch was faster), then the older trip.
        harness.run([Self.change("half_open", "closed", at: 120, id: 2)], now: 121 * Self.second)
        harness.run([Self.change("closed", "open", at: 100, id: 1)], now: 122 * Self.second)
        #expect(harness.board.snapshot(now: 122 * Self.second).first?.state == .closed)
        #expect(harness.board.snapshot(now: 122 * Self.second).first?.stateChanges == 2)
        // A report older than the last known change does not undo it either.
        harness.run([Self.report("open", at: 110)], now: 123 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 0)
    }

    @Test("a change sent as an event on a sampled request and as its own span, or resent, counts once")
    func duplicatesCountOnce() {
        let harness = Harness()
        let event = TelemetrySpanEvent(
            name: "circuit_breaker.state_change", timeNanos: 100 * Self.second,
            attributes: ["circuit_breaker.name": "user-service", "circuit_breaker.from_state": "closed", "circuit_breaker.to_state": "open"])
        let request = Spans.make(service: "api-gateway", kind: .server, spanID: 9, events: [event], traceState: Spans.sampled(at: 0.1))
        harness.run([request, Self.change("closed", "open", at: 100)], now: 101 * Self.second)
        harness.run([Self.change("closed", "open", at: 100)], now: 102 * Self.second)
        #expect(harness.changes(["api-gateway", "user-service", "closed", "open"]) == 1)
        #expect(harness.board.snapshot(now: 102 * Self.second).first?.stateChanges == 1)
    }

    @Test("a rejection is labelled with the state it happened in: half_open when the probe budget was spent")
    func rejectionStates() {
        let harness = Harness()
        func rejected(_ state: String?, breaker: String, id: UInt64) -> TelemetrySpanData {
            var attributes: TelemetryAttributes = ["circuit_breaker.name": .string(breaker)]
            if let state { attributes["circuit_breaker.state"] = .string(state) }
            let event = TelemetrySpanEvent(name: "circuit_breaker.rejected", timeNanos: 100 * Self.second, attributes: attributes)
            return Spans.make(service: "api-gateway", kind: .server, traceLow: id, spanID: id, events: [event])
        }
        harness.run(
            [
                rejected("half_open", breaker: "user-service", id: 1), rejected("open", breaker: "user-service", id: 2),
                rejected(nil, breaker: "billing", id: 3),
            ],
            now: 101 * Self.second)
        let requests = harness.registry.lookup("circuit_breaker_requests_total")
        #expect(requests?.value(["api-gateway", "user-service", "half_open", "rejected"]) == 1)
        #expect(requests?.value(["api-gateway", "user-service", "open", "rejected"]) == 1)
        // Without the attribute (other SDKs), the state that rejects every request.
        #expect(requests?.value(["api-gateway", "billing", "open", "rejected"]) == 1)
        // A breaker first heard of through a half-open rejection is listed half-open, not open.
        let board = harness.board.snapshot(now: 101 * Self.second)
        #expect(board.map(\.name) == ["billing", "user-service"])
        #expect(board.map(\.state) == [.open, .halfOpen])
        #expect(board.map(\.rejected) == [1, 2])
    }

    @Test("a breaker not heard from within stale_after is stale: listed, but out of the gauge and of health")
    func staleBreakers() {
        let harness = Harness(.init(staleAfter: .seconds(60), expireAfter: .seconds(600)))
        let health = HealthBoard(configuration: .default)
        harness.run([Self.change("closed", "open", at: 100)], now: 100 * Self.second)
        health.record(service: "api-gateway", weight: 1, isError: false, latencySeconds: 0.01, now: 100 * Self.second)
        #expect(health.evaluate(now: 101 * Self.second, breakers: harness.board).first?.status == .unhealthy)

        // Reports keep it current…
        harness.run([Self.report("open", at: 150)], now: 150 * Self.second)
        _ = harness.processor.tick(now: 200 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 2)
        #expect(harness.board.snapshot(now: 200 * Self.second).first?.stale == false)

        // …silence makes it stale.
        _ = harness.processor.tick(now: 211 * Self.second)
        #expect(harness.board.snapshot(now: 211 * Self.second).first?.stale == true)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == nil)
        #expect(health.evaluate(now: 211 * Self.second, breakers: harness.board).first?.breaker == .closed)

        // A report brings it back; expiry forgets it.
        harness.run([Self.report("closed", at: 212)], now: 212 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 0)
        _ = harness.processor.tick(now: 813 * Self.second)
        #expect(harness.board.snapshot(now: 813 * Self.second).isEmpty)
    }

    @Test("a change stamped far in the future outranks genuine news for at most a minute; a reset holds until newer news")
    func futureTimesAreBounded() {
        let harness = Harness()
        var future = Self.change("closed", "open", at: 0)
        future.startTimeNanos = UInt64.max
        harness.run([future], now: 100 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 2)
        harness.run([Self.report("closed", at: 130)], now: 130 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 2, "within the minute's tolerance the future change still ranks first")
        harness.run([Self.report("closed", at: 161)], now: 161 * Self.second)
        #expect(harness.gauge.value(["api-gateway", "user-service"]) == 0)

        harness.run([Self.change("closed", "open", at: 170, id: 2)], now: 170 * Self.second)
        #expect(harness.board.reset(service: "api-gateway", name: nil, now: 180 * Self.second) == 1)
        harness.run([Self.report("open", at: 175)], now: 181 * Self.second)
        #expect(harness.board.snapshot(now: 181 * Self.second).first?.state == .closed, "a report older than the reset does not undo it")
        harness.run([Self.report("open", at: 185)], now: 185 * Self.second)
        #expect(harness.board.snapshot(now: 185 * Self.second).first?.state == .open)
    }

    @Test("the board holds at most max_breakers; reports of others are counted and dropped")
    func boundedBoard() {
        let harness = Harness(.init(maxBreakers: 2))
        let spans = (1...5).map { Self.change("closed", "open", at: 100, breaker: "dependency-\($0)", id: UInt64($0)) }
        harness.run(spans, now: 101 * Self.second)
        #expect(harness.board.snapshot(now: 101 * Self.second).count == 2)
        #expect(harness.registry.lookup("pipeline_breakers_overflow_total")?.value([]) == 3)
        #expect(harness.gauge.snapshot().count == 2)
    }

    @Test("the circuit_breakers processor's YAML keys, and their mistakes named")
    func configuration() throws {
        let good = """
            receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } } }
            processors:
              circuit_breakers: { stale_after: 45s, expire_after: 10m, max_breakers: 50 }
            exporters: { debug: {} }
            service: { pipelines: { traces: { receivers: [otlp], processors: [circuit_breakers], exporters: [debug] } } }
            """
        let configuration = try PipelineConfiguration.parse(yaml: good, file: "good.yaml")
        let settings = configuration.processors.values.first
        #expect(settings == .circuitBreakers(.init(staleAfter: .seconds(45), expireAfter: .seconds(600), maxBreakers: 50)))

        let bad = good.replacing("expire_after: 10m", with: "expire_after: 10s")
        #expect {
            try PipelineConfiguration.parse(yaml: bad, file: "bad.yaml")
        } throws: { error in
            "\(error)".contains("bad.yaml") && "\(error)".contains("expire_after")
        }
    }
}

extension BreakerBoard.Configuration {
    init(staleAfter: Duration = .seconds(120), expireAfter: Duration = .seconds(3600), maxBreakers: Int = 2000) {
        self.init()
        self.staleAfter = staleAfter
        self.expireAfter = expireAfter
        self.maxBreakers = maxBreakers
    }
}
