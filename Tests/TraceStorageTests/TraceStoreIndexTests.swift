import TelemetryCore
import Testing

@testable import TraceStorage

/// The indexed search against a walk of every stored trace, on random traces whose spans arrive
/// interleaved and late, through evictions, with every kind of condition.
@Suite struct TraceStoreIndexTests {
    static let services = ["gateway", "orders", "users"]
    static let operations = ["GET /a", "POST /b", "SELECT", "publish"]

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomSpan(trace: UInt64, span: UInt64, using random: inout Generator) -> TelemetrySpanData {
        var attributes: TelemetryAttributes = ["http.response.status_code": .int([200, 404, 500].randomElement(using: &random)!)]
        if Bool.random(using: &random) { attributes["user.id"] = .string("u\(Int.random(in: 0..<50, using: &random))") }
        var span = Fixtures.span(
            trace: trace, span: span, service: services.randomElement(using: &random)!, name: operations.randomElement(using: &random)!,
            kind: [.server, .client, .internal].randomElement(using: &random)!, start: Fixtures.epoch + trace * Fixtures.second,
            milliseconds: UInt64.random(in: 0...400, using: &random),
            status: Int.random(in: 0..<8, using: &random) == 0 ? .error(description: "failed") : .unset, attributes: attributes)
        if Int.random(in: 0..<6, using: &random) == 0 {
            span.events = [TelemetrySpanEvent(name: "retry", timeNanos: span.startTimeNanos, attributes: ["attempt": 2])]
        }
        return span
    }

    static func randomQuery(using random: inout Generator) -> TraceQuery {
        var query = TraceQuery(service: services.randomElement(using: &random)!, limit: Int.random(in: 1...30, using: &random))
        if Bool.random(using: &random) { query.operation = operations.randomElement(using: &random)! }
        switch Int.random(in: 0..<7, using: &random) {
        case 0: query.tags = ["error": "true"]
        case 1: query.tags = ["http.response.status_code": "500"]
        case 2: query.tags = ["user.id": "u\(Int.random(in: 0..<50, using: &random))", "span.kind": "client"]
        case 3: query.tags = ["event": "retry", "attempt": "2"]
        case 4: query.tags = ["host.name": "h1"]
        case 5: query.tags = ["no.such.tag": "x"]
        default: break
        }
        if Bool.random(using: &random) { query.minDurationNanos = UInt64.random(in: 0...300, using: &random) * 1_000_000 }
        if Int.random(in: 0..<4, using: &random) == 0 { query.maxDurationNanos = UInt64.random(in: 50...400, using: &random) * 1_000_000 }
        if Int.random(in: 0..<4, using: &random) == 0 { query.startMinNanos = Fixtures.epoch + 200 * Fixtures.second }
        return query
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func indexedSearchAgreesWithAWalkOfEveryTrace(seed: UInt64) {
        var random = Generator(state: seed)
        let store = TraceStore(configuration: .init(maxBytes: 1 << 20, retention: .seconds(3600)))
        var arrivalOrder: [TraceID] = []  // first arrival of each trace, oldest first
        var pending: [TelemetrySpanData] = []
        var found = 0
        var empty = 0
        for trace in 1...1_500 as ClosedRange<UInt64> {
            let spans = (1...UInt64.random(in: 1...6, using: &random)).map {
                Self.randomSpan(trace: trace, span: trace * 10 + $0, using: &random)
            }
            // Most spans arrive with their trace; some arrive a few batches late.
            for span in spans { if Int.random(in: 0..<5, using: &random) == 0 { pending.append(span) } else { pending.insert(span, at: 0) } }
            let batch = pending.prefix(Int.random(in: 1...8, using: &random))
            pending.removeFirst(batch.count)
            // A trace not stored before this batch (new, or evicted and heard from again) arrives anew.
            var arrived: Set<TraceID> = []
            for span in batch where store.trace(span.traceID) == nil && arrived.insert(span.traceID).inserted {
                arrivalOrder.removeAll { $0 == span.traceID }
                arrivalOrder.append(span.traceID)
            }
            store.insert(Array(batch), now: Fixtures.epoch)
            if trace % 100 == 0 {
                arrivalOrder.removeAll { store.trace($0) == nil }
                for _ in 0..<20 {
                    let query = Self.randomQuery(using: &random)
                    let expected = arrivalOrder.reversed().lazy.compactMap { store.trace($0) }
                        .filter { $0.contains(where: query.matches) }.prefix(query.limit).map { $0[0].traceID }
                    #expect(store.search(query).map { $0[0].traceID } == Array(expected), "\(query)")
                    if expected.isEmpty { empty += 1 } else { found += expected.count }
                }
            }
        }
        #expect(store.statistics.evictedTraces > 100, "the workload must evict to exercise index removal")
        #expect(found > 1_000 && empty > 10, "the queries must both find and miss")
    }

    @Test func evictingEveryTraceEmptiesTheIndex() {
        let store = TraceStore(configuration: .init(maxBytes: 1 << 20, retention: .seconds(60)))
        var random = Generator(state: 9)
        for trace in 1...300 as ClosedRange<UInt64> {
            store.insert((1...3).map { Self.randomSpan(trace: trace, span: trace * 10 + $0, using: &random) }, now: Fixtures.epoch)
        }
        #expect(store.statistics.bytes > 0)
        store.expire(now: Fixtures.epoch + 61 * Fixtures.second)
        #expect(store.statistics == .init(traces: 0, spans: 0, bytes: 0, evictedTraces: 300))
    }
}
