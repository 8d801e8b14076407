import Benchmark
import CircuitBreakers
import Foundation
import Synchronization

struct BenchmarkFailure: Error {}

/// Runs `body` on a second thread until stopped, to contend with the measured loop.
final class Contender: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)

    init(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) { body() }
            finished.store(true, ordering: .releasing)
        }
        thread.start()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        while !finished.load(ordering: .acquiring) {}
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 1_000,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )

    // `scaledIterations` repeats the operation 1 000 times per sample.
    Benchmark("execute, closed, uncontended") { benchmark in
        let breaker = CircuitBreaker(name: "closed")
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { blackHole(try? breaker.execute { index }) }
    }

    Benchmark("execute, closed, two threads contending") { benchmark in
        let breaker = CircuitBreaker(name: "contended")
        let contender = Contender { blackHole(try? breaker.execute { 1 }) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { blackHole(try? breaker.execute { index }) }
        benchmark.stopMeasurement()
        contender.stop()
    }

    Benchmark("execute, open (rejection)") { benchmark in
        let breaker = CircuitBreaker(name: "open")
        breaker.isolate()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { blackHole(try? breaker.execute { index }) }
    }

    Benchmark("allow + succeeded, closed") { benchmark in
        let breaker = CircuitBreaker(name: "two-step")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if let permit = try? breaker.allow() { permit.succeeded() }
        }
    }

    Benchmark("execute, closed, rolling window and interval") { benchmark in
        let breaker = CircuitBreaker(name: "window", configuration: .init(interval: .seconds(60), rollingWindow: .init()))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { blackHole(try? breaker.execute { index }) }
    }
}
