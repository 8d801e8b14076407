import Foundation
import TelemetryCore
import Testing
import TraceStorage

@testable import TraceStorageSQLite

@Suite("SQLite and memory stores answer alike")
struct SearchParityTests {
    @Test("the same random workload gives the same searches, lists, dependencies and evictions", arguments: [11, 12] as [UInt64])
    func sameAnswers(seed: UInt64) throws {
        try SQLiteTraceStoreTests.withDatabase { path in
            var workload = Workload(seed: seed)
            let second = Workload.second
            // Retention bites; the size bound does not, since only the memory store counts its
            // index against it (the size bound is the test below and the memory store's own).
            let bounds = TraceStore.Configuration(maxBytes: 1 << 30, retention: .seconds(90))
            let memory = TraceStore(configuration: bounds)
            let sqlite = try SQLiteTraceStore(configuration: .init(path: path, maxBytes: bounds.maxBytes, retention: bounds.retention))
            var now = Workload.epoch
            var compared = 0
            for round in 0..<40 {
                now += UInt64.random(in: 1...10, using: &workload.random) * second
                var batch: [TelemetrySpanData] = []
                for number in 0..<Int.random(in: 1...30, using: &workload.random) {
                    batch += workload.trace(UInt64(round * 100 + number), start: now - 10 * second)
                }
                // A late span of an earlier trace joins it, or starts it anew once it was evicted.
                if round > 3 { batch += workload.trace(UInt64((round - 3) * 100), start: now - 20 * second).prefix(1) }
                memory.insert(batch, now: now)
                try sqlite.insert(batch, now: now)
                #expect(sqlite.statistics.held == memory.statistics.held)
                #expect(try sqlite.services() == memory.services())
                for service in Workload.services {
                    #expect(try sqlite.operations(service: service, kind: nil) == memory.operations(service: service))
                    #expect(try sqlite.operations(service: service, kind: .client) == memory.operations(service: service, kind: .client))
                }
                for _ in 0..<10 {
                    let query = workload.query(around: now)
                    let expected = memory.search(query)
                    #expect(try sqlite.search(query) == expected, "\(query)")
                    compared += expected.isEmpty ? 0 : 1
                }
                #expect(
                    try sqlite.dependencies(startNanos: now - 60 * second, endNanos: now)
                        == memory.dependencies(startNanos: now - 60 * second, endNanos: now))
            }
            memory.expire(now: now + 60 * second)
            try sqlite.expire(now: now + 60 * second)
            #expect(sqlite.statistics.held == memory.statistics.held)
            #expect(memory.statistics.evictedTraces > 0)
            #expect(compared > 100)
        }
    }
}

extension TraceStore.Statistics {
    /// What both stores hold alike: the memory store's byte count also includes its index.
    var held: [Int] { [traces, spans, evictedTraces] }
}
