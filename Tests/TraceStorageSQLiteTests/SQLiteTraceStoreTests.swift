import Foundation
import GRDB
import TelemetryCore
import Testing
import TraceStorage

@testable import TraceStorageSQLite

@Suite("SQLite trace store")
struct SQLiteTraceStoreTests {
    static let second = Workload.second
    static let epoch = Workload.epoch

    /// A fresh directory for one test's database, removed by `body`'s end.
    static func withDatabase(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tracestore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("traces.sqlite").path)
    }

    @Test("traces, services, operations and searches survive closing and reopening the file")
    func survivesReopening() throws {
        try Self.withDatabase { path in
            var workload = Workload(seed: 1)
            let traces = (1...40).map { workload.trace(UInt64($0), start: Self.epoch) }
            let queries = (0..<30).map { _ in workload.query(around: Self.epoch + 5 * Self.second) }
            var before: (services: [String], operations: [[TraceStore.ServiceOperation]], found: [[[TelemetrySpanData]]], statistics: TraceStore.Statistics)
            do {
                let store = try SQLiteTraceStore(configuration: .init(path: path))
                for (index, trace) in traces.enumerated() { try store.insert(trace, now: Self.epoch + UInt64(index)) }
                before = (
                    try store.services(), try Workload.services.map { try store.operations(service: $0, kind: nil) },
                    try queries.map(store.search), store.statistics
                )
            }
            let reopened = try SQLiteTraceStore(configuration: .init(path: path))
            for trace in traces {
                // Lossless: every field the query API shows comes back as it went in.
                #expect(try reopened.trace(trace[0].traceID) == trace)
            }
            #expect(try reopened.services() == before.services)
            #expect(try reopened.services() == Set(traces.joined().map(\.resource.serviceName)).sorted())
            #expect(try Workload.services.map { try reopened.operations(service: $0, kind: nil) } == before.operations)
            #expect(try queries.map(reopened.search) == before.found)
            #expect(before.found.contains { !$0.isEmpty })
            #expect(reopened.statistics == TraceStore.Statistics(traceCount: 40, spanCount: traces.joined().count, bytes: before.statistics.bytes, evicted: 0))
        }
    }

    @Test("retention deletes the traces that arrived before it, with their services and operations")
    func retentionDeletesOldTraces() throws {
        try Self.withDatabase { path in
            let store = try SQLiteTraceStore(configuration: .init(path: path, retention: .seconds(60)))
            var workload = Workload(seed: 2)
            var old = workload.trace(1, start: Self.epoch)
            for index in old.indices { old[index].resource = TelemetryResource(attributes: ["service.name": "legacy"]) }
            let recent = workload.trace(2, start: Self.epoch)
            try store.insert(old, now: Self.epoch)
            try store.insert(recent, now: Self.epoch + 30 * Self.second)
            try store.expire(now: Self.epoch + 61 * Self.second)
            #expect(try store.trace(old[0].traceID) == nil)
            #expect(try store.trace(recent[0].traceID) == recent)
            #expect(try !store.services().contains("legacy"))
            #expect(try store.operations(service: "legacy", kind: nil).isEmpty)
            #expect(store.statistics.traces == 1 && store.statistics.evictedTraces == 1)
            // Inserting deletes what expired too, and a late span of a deleted trace starts it anew.
            try store.insert([old[0]], now: Self.epoch + 200 * Self.second)
            #expect(try store.trace(recent[0].traceID) == nil)
            #expect(try store.trace(old[0].traceID) == [old[0]])
            // What retention deleted stays deleted after a restart.
            let reopened = try SQLiteTraceStore(configuration: .init(path: path, retention: .seconds(60)))
            #expect(try reopened.services() == ["legacy"])
            #expect(reopened.statistics.traces == 1 && reopened.statistics.spans == 1)
        }
    }

    @Test("max_bytes deletes the oldest traces, by the spans' estimated size")
    func maxBytesDeletesTheOldest() throws {
        try Self.withDatabase { path in
            var workload = Workload(seed: 3)
            let traces = (1...200).map { workload.trace(UInt64($0), start: Self.epoch) }
            let maxBytes = 20_000
            let store = try SQLiteTraceStore(configuration: .init(path: path, maxBytes: maxBytes))
            for trace in traces { try store.insert(trace, now: Self.epoch) }
            let statistics = store.statistics
            #expect(statistics.bytes <= maxBytes)
            // Exactly the newest traces that fit are kept.
            let kept = traces.suffix(statistics.traces)
            #expect(statistics.spans == kept.reduce(0) { $0 + $1.count })
            #expect(statistics.bytes == kept.joined().reduce(0) { $0 + TraceStore.estimatedBytes(of: $1) })
            let oneMore = traces[traces.count - statistics.traces - 1]
            #expect(statistics.bytes + oneMore.reduce(0) { $0 + TraceStore.estimatedBytes(of: $1) } > maxBytes)
            #expect(statistics.evictedTraces == 200 - statistics.traces)
            #expect(try store.trace(traces[0][0].traceID) == nil)
            #expect(try store.trace(traces[199][0].traceID) == traces[199])
        }
    }

    @Test("a file that is not a database is refused when the store opens, naming the path")
    func refusesAFileThatIsNotADatabase() throws {
        try Self.withDatabase { path in
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: SQLiteTraceStoreError.cannotOpen) { try SQLiteTraceStore(configuration: .init(path: path)) }
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("not a database") == true)
            let missing = #expect(throws: SQLiteTraceStoreError.cannotOpen) {
                try SQLiteTraceStore(configuration: .init(path: "/nonexistent-directory/traces.sqlite"))
            }
            #expect(missing?.description.contains("/nonexistent-directory/traces.sqlite") == true)
        }
    }

    @Test("a search walks its service's index newest trace first, without sorting, and looks tags up by key")
    func searchUsesTheIndexes() throws {
        try Self.withDatabase { path in
            let store = try SQLiteTraceStore(configuration: .init(path: path))
            let plans = try store.pool.read { db in
                try [
                    "SELECT DISTINCT s.trace FROM spans s WHERE s.service = 'a' AND s.start_ns >= 1 ORDER BY s.trace DESC LIMIT 20",
                    "SELECT DISTINCT s.trace FROM spans s WHERE s.service = 'a' AND s.operation = 'b' ORDER BY s.trace DESC LIMIT 20",
                    """
                    SELECT DISTINCT s.trace FROM spans s WHERE s.service = 'a'
                    AND EXISTS (SELECT 1 FROM span_tags t WHERE t.span = s.id AND t.key = 'error' AND t.value = 'true')
                    ORDER BY s.trace DESC LIMIT 20
                    """,
                ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] as String }.joined(separator: "; ") }
            }
            #expect(plans[0].contains("spans_by_service"))
            #expect(plans[1].contains("spans_by_operation"))
            #expect(plans[2].contains("spans_by_service") && plans[2].contains("SEARCH t USING PRIMARY KEY"), "\(plans[2])")
            #expect(plans.allSatisfy { !$0.contains("TEMP B-TREE") }, "\(plans)")
        }
    }
}
