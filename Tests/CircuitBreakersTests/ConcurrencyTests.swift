import CircuitBreakers
import Synchronization
import TelemetryTesting
import Testing

@Suite struct ConcurrencyTests {
    /// N tasks hit a half-open breaker at once; exactly `maxRequests` run, the rest are
    /// rejected, whatever the interleaving.
    @Test(arguments: [1, 3, 10])
    func halfOpenAdmitsExactlyMaxRequests(maxRequests: UInt32) async throws {
        let clock = TestClock()
        let breaker = makeBreaker(CircuitBreaker.Configuration(maxRequests: maxRequests), clock: clock)
        breaker.fail(6)
        clock.advance(past: .seconds(60))
        #expect(breaker.state == .halfOpen)

        let gate = Gate()
        let admitted = AtomicCounter()
        let rejected = AtomicCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    do {
                        try await breaker.execute {
                            admitted.increment()
                            // Hold the slot until every task has tried.
                            await gate.wait()
                        }
                    } catch is CircuitBreakerRejectedError {
                        if rejected.increment() == 200 - Int(maxRequests) { await gate.open() }
                    } catch {
                        Issue.record("unexpected \(error)")
                    }
                }
            }
        }
        #expect(admitted.value == Int(maxRequests))
        #expect(rejected.value == 200 - Int(maxRequests))
        #expect(breaker.state == .closed, "all probes succeeded")
    }

    @Test func parallelClosedTrafficCountsEveryRequest() async {
        let breaker = makeBreaker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1000 { _ = try? breaker.execute { 1 } }
                }
            }
        }
        #expect(breaker.counts.requests == 8000)
        #expect(breaker.counts.totalSuccesses == 8000)
    }
}

/// Suspends waiters until opened.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}

final class AtomicCounter: Sendable {
    private let storage = Atomic<Int>(0)

    /// Adds one and returns the new value.
    @discardableResult
    func increment() -> Int { storage.add(1, ordering: .relaxed).newValue }

    var value: Int { storage.load(ordering: .relaxed) }
}
