import CircuitBreakers
import Foundation
import MetricsTestKit
import TelemetryTesting
import Testing
import Tracing

@Suite struct ObservabilityTests {
    @Test func exportsTheSeedMetrics() throws {
        let metrics = TestMetrics()
        let clock = TestClock()
        let breaker = makeBreaker(clock: clock, metrics: metrics)
        let labels = [("service", "auth-service"), ("name", "user-service")]
        #expect(try metrics.expectGauge("circuit_breaker_state", labels).lastValue == 0)

        breaker.succeed(2)
        _ = try? breaker.execute { () throws -> Int in throw CancellationError() }
        breaker.fail(6)
        _ = breaker.rejection()
        func requests(_ state: String, _ result: String) throws -> Int64 {
            try metrics.expectCounter("circuit_breaker_requests_total", labels + [("state", state), ("result", result)]).totalValue
        }
        #expect(try requests("closed", "success") == 2)
        #expect(try requests("closed", "excluded") == 1)
        #expect(try requests("closed", "failure") == 6)
        #expect(try requests("open", "rejected") == 1)
        #expect(try metrics.expectGauge("circuit_breaker_state", labels).lastValue == 2)
        let trips = try metrics.expectCounter(
            "circuit_breaker_state_changes_total",
            labels + [("from_state", "closed"), ("to_state", "open")]
        )
        #expect(trips.totalValue == 1)

        clock.advance(past: .seconds(60))
        #expect(breaker.state == .halfOpen)
        #expect(try metrics.expectGauge("circuit_breaker_state", labels).lastValue == 1)
    }

    @Test func stateChangesAndRejectionsAreEventsOnTheCurrentSpan() throws {
        let tracer = RecordingTracer()
        let breaker = makeBreaker()
        let span = withTracer(tracer) {
            withSpan("call user-service") { span in
                breaker.fail(6)
                _ = breaker.rejection()
                return span
            }
        }
        let events = try #require(span as? RecordingTracer.RecordingSpan).events
        #expect(events.map(\.name) == ["circuit_breaker.state_change", "circuit_breaker.rejected"])
        let change = try #require(events.first)
        #expect(change.attributes["circuit_breaker.name"]?.toSpanAttribute() == .string("user-service"))
        #expect(change.attributes["circuit_breaker.from_state"]?.toSpanAttribute() == .string("closed"))
        #expect(change.attributes["circuit_breaker.to_state"]?.toSpanAttribute() == .string("open"))
        let rejected = try #require(events.last)
        #expect(rejected.attributes["circuit_breaker.state"]?.toSpanAttribute() == .string("open"))
        #expect(rejected.attributes["circuit_breaker.retry_after_ms"]?.toSpanAttribute() == .int64(60_000))
    }

    @Test func noCurrentSpanIsFine() {
        let breaker = makeBreaker()
        breaker.fail(6)
        #expect(breaker.rejection() != nil)
    }

    @Test func statusEncodesWithTheSeedNames() throws {
        let breaker = makeBreaker()
        breaker.succeed(3)
        breaker.fail(1)
        let json = try String(decoding: JSONEncoder.sorted.encode(breaker.status()), as: UTF8.self)
        #expect(json.contains(#""state":"CLOSED""#))
        #expect(
            json.contains(
                #""counts":{"consecutive_failures":1,"consecutive_successes":0,"requests":4,"total_exclusions":0,"total_failures":1,"total_successes":3}"#
            )
        )
        #expect(json.contains(#""next_probe_seconds":null"#) || !json.contains("next_probe_seconds"))
        #expect(json.contains(#""time_in_state_seconds":0"#))
    }
}
