import CircuitBreakers
import MetricsTestKit
import TelemetryTesting

struct Boom: Error, Equatable {}

func makeBreaker(
    _ configuration: CircuitBreaker.Configuration = .default,
    clock: TestClock = TestClock(),
    metrics: TestMetrics = TestMetrics()
) -> CircuitBreaker {
    CircuitBreaker(name: "user-service", service: "auth-service", configuration: configuration, clock: clock, metricsFactory: metrics)
}

extension CircuitBreaker {
    func fail(_ times: Int = 1) {
        for _ in 0..<times { _ = try? execute { () throws -> Int in throw Boom() } }
    }

    func succeed(_ times: Int = 1) {
        for _ in 0..<times { _ = try? execute { 1 } }
    }

    /// The rejection `execute` throws now, or `nil` if the request was admitted.
    func rejection() -> CircuitBreakerRejectedError? {
        do {
            _ = try execute { 1 }
            return nil
        } catch let error as CircuitBreakerRejectedError {
            return error
        } catch {
            return nil
        }
    }
}

extension TestClock {
    /// Advances to 1 ns after `duration` has elapsed: gobreaker's expiries (the end of the open
    /// duration, of a closed interval) are due strictly after their instant, not at it.
    func advance(past duration: Duration) {
        advance(by: duration + .nanoseconds(1))
    }
}
