import TelemetryCore
import Testing

@testable import TraceStorage

@Suite struct TraceStoreTests {
    @Test func storesTracesAndListsServicesAndOperations() {
        let store = TraceStore()
        for number in 1...3 { store.insert(Fixtures.checkout(UInt64(number)), now: Fixtures.epoch) }
        #expect(store.services() == ["gateway", "orders"])
        #expect(store.operations(service: "orders").map(\.name) == ["POST /orders", "SELECT"])
        #expect(store.operations(service: "gateway", kind: .client).map(\.name) == ["call orders"])
        #expect(store.trace(TraceID(high: 0xABCD, low: 2))?.count == 4)
        #expect(store.trace(TraceID(high: 0xABCD, low: 9)) == nil)
        #expect(store.statistics.traces == 3)
        #expect(store.statistics.spans == 12)
    }

    @Test func searchFindsTheNewestMatchingTracesUpToTheLimit() {
        let store = TraceStore()
        for number in 1...10 { store.insert(Fixtures.checkout(UInt64(number), failed: number % 3 == 0), now: Fixtures.epoch) }
        let failed = store.search(TraceQuery(service: "orders", tags: ["error": "true"]))
        #expect(failed.map { $0[0].traceID.low } == [9, 6, 3])
        #expect(store.search(TraceQuery(service: "orders", tags: ["http.response.status_code": "500"])).count == 3)
        #expect(store.search(TraceQuery(service: "gateway", limit: 4)).map { $0[0].traceID.low } == [10, 9, 8, 7])
        // Conditions hold on one span: orders has no 40 ms span.
        #expect(store.search(TraceQuery(service: "orders", minDurationNanos: 35_000_000)).isEmpty)
        #expect(store.search(TraceQuery(service: "gateway", minDurationNanos: 35_000_000)).count == 10)
        #expect(store.search(TraceQuery(service: "gateway", operation: "SELECT")).isEmpty)
        // host.name is a resource attribute, searchable as a process tag.
        #expect(store.search(TraceQuery(service: "orders", tags: ["host.name": "h1"], limit: 1000)).count == 10)
    }

    @Test func evictsTheOldestTracesBeyondMaxBytesAndForgetsTheirOperations() {
        // The first trace also pays for the index lists the others share.
        let probe = TraceStore()
        probe.insert(Fixtures.checkout(1), now: Fixtures.epoch)
        let firstTrace = probe.statistics.bytes
        #expect(firstTrace > Fixtures.checkout(1).reduce(0) { $0 + TraceStore.estimatedBytes(of: $1) })
        probe.insert(Fixtures.checkout(2), now: Fixtures.epoch)
        let nextTrace = probe.statistics.bytes - firstTrace
        let store = TraceStore(configuration: .init(maxBytes: firstTrace + 4 * nextTrace))
        for number in 1...8 { store.insert(Fixtures.checkout(UInt64(number)), now: Fixtures.epoch) }
        #expect(store.statistics.traces == 5)
        #expect(store.statistics.bytes == firstTrace + 4 * nextTrace)
        #expect(store.statistics.evictedTraces == 3)
        #expect(store.trace(TraceID(high: 0xABCD, low: 3)) == nil)
        #expect(store.trace(TraceID(high: 0xABCD, low: 4)) != nil)

        // ServiceOperation names come and go with the spans that carry them.
        store.insert([Fixtures.span(trace: 100, span: 1, service: "rare", name: "once")], now: Fixtures.epoch)
        #expect(store.services().contains("rare"))
        for number in 200...210 { store.insert(Fixtures.checkout(UInt64(number)), now: Fixtures.epoch) }
        #expect(!store.services().contains("rare"))
    }

    @Test func retentionEvictsByArrivalTime() {
        let store = TraceStore(configuration: .init(retention: .seconds(60)))
        store.insert(Fixtures.checkout(1), now: Fixtures.epoch)
        store.insert(Fixtures.checkout(2), now: Fixtures.epoch + 30 * Fixtures.second)
        store.expire(now: Fixtures.epoch + 61 * Fixtures.second)
        #expect(store.trace(TraceID(high: 0xABCD, low: 1)) == nil)
        #expect(store.trace(TraceID(high: 0xABCD, low: 2)) != nil)
        store.expire(now: Fixtures.epoch + 91 * Fixtures.second)
        #expect(store.statistics == .init(traces: 0, spans: 0, bytes: 0, evictedTraces: 2))
        #expect(store.services().isEmpty)
    }

    @Test func aTraceEvictedAndHeardFromAgainIsStoredAnew() {
        let store = TraceStore(configuration: .init(retention: .seconds(60)))
        store.insert(Array(Fixtures.checkout(1).prefix(2)), now: Fixtures.epoch)
        store.insert(Array(Fixtures.checkout(1).suffix(2)), now: Fixtures.epoch + 120 * Fixtures.second)
        #expect(store.trace(TraceID(high: 0xABCD, low: 1))?.map(\.name) == ["POST /orders", "SELECT"])
        // The first life's arrival entry must not evict the second.
        store.insert(Fixtures.checkout(2), now: Fixtures.epoch + 121 * Fixtures.second)
        #expect(store.trace(TraceID(high: 0xABCD, low: 1)) != nil)
    }

    @Test func dependenciesCountCallsBetweenServicesWeightedBySampling() {
        let store = TraceStore()
        for number in 1...4 { store.insert(Fixtures.checkout(UInt64(number)), now: Fixtures.epoch) }
        // A span sampled at 1/4 (OpenTelemetry threshold c) stands for 4 calls.
        var sampled = Fixtures.checkout(5)
        sampled[2].traceState = TraceState(headerValue: "ot=th:c")!
        store.insert(sampled, now: Fixtures.epoch)
        let dependencies = store.dependencies(startNanos: Fixtures.epoch - Fixtures.second, endNanos: Fixtures.epoch + Fixtures.second)
        #expect(dependencies == [.init(parent: "gateway", child: "orders", callCount: 8)])
        #expect(store.dependencies(startNanos: Fixtures.epoch + Fixtures.second, endNanos: Fixtures.epoch + 2 * Fixtures.second).isEmpty)
    }
}
