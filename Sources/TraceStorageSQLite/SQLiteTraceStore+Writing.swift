import Foundation
import GRDB
import OTLPExporter
import TelemetryCore
import TraceStorage

extension SQLiteTraceStore {
    /// A span ready to be written: its encoding, tags and estimated size, computed before
    /// the writer lock is taken.
    struct SpanRow {
        var span: TelemetrySpanData
        var traceID: Data
        var data: Data
        var tags: [(key: String, value: String)]
        var bytes: Int

        init(_ span: TelemetrySpanData) {
            self.span = span
            self.traceID = Data(span.traceID.bytes)
            self.data = Data(OTLPTraceEncoder.encodeProtobuf([span]))
            self.tags = TraceQuery.searchableTags(of: span)
            self.bytes = TraceStore.estimatedBytes(of: span)
        }
    }

    /// A service's operation of one span kind, as the `operations` table counts it.
    struct OperationKey: Hashable {
        var service: String
        var operation: String
        var kind: String
    }

    /// How many traces one deletion statement removes.
    static let evictionBatch = 500

    static func insert(_ rows: [SpanRow], now: UInt64, _ db: Database, change: inout Counters) throws {
        let findTrace = try db.cachedStatement(sql: "SELECT id FROM traces WHERE trace_id = ?")
        let addTrace = try db.cachedStatement(
            sql: "INSERT INTO traces (trace_id, arrived_ns, earliest_start_ns, span_count, bytes) VALUES (?, ?, ?, 0, 0)")
        let addSpan = try db.cachedStatement(
            sql: """
                INSERT INTO spans (trace, span_id, parent_span_id, service, operation, kind, start_ns, duration_ns, error, adjusted_count, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        // The same pair can come from an attribute and a resource attribute; one row answers both.
        let addTag = try db.cachedStatement(sql: "INSERT OR IGNORE INTO span_tags (span, key, value) VALUES (?, ?, ?)")
        var traceNumbers: [Data: Int64] = [:]
        var growth: [Int64: (spans: Int, bytes: Int, earliest: Int64)] = [:]
        var operations: [OperationKey: Int] = [:]
        for row in rows {
            let span = row.span
            let start = Int64(clamping: span.startTimeNanos)
            let trace: Int64
            if let known = traceNumbers[row.traceID] {
                trace = known
            } else if let stored = try Int64.fetchOne(findTrace, arguments: [row.traceID]) {
                trace = stored
            } else {
                try addTrace.execute(arguments: [row.traceID, Int64(clamping: now), start])
                trace = db.lastInsertedRowID
                change.traces += 1
            }
            traceNumbers[row.traceID] = trace
            try addSpan.execute(arguments: [
                trace, Int64(bitPattern: span.spanID.rawValue), span.parentSpanID.map { Int64(bitPattern: $0.rawValue) },
                span.resource.serviceName, span.name, span.kind.rawValue, start, Int64(clamping: span.durationNanos),
                span.status.isError, span.adjustedCount, row.data,
            ])
            let spanNumber = db.lastInsertedRowID
            for tag in row.tags { try addTag.execute(arguments: [spanNumber, tag.key, tag.value]) }
            let previous = growth[trace] ?? (0, 0, start)
            growth[trace] = (previous.spans + 1, previous.bytes + row.bytes, min(previous.earliest, start))
            operations[OperationKey(service: span.resource.serviceName, operation: span.name, kind: span.kind.rawValue), default: 0] += 1
            change.spans += 1
            change.bytes += row.bytes
        }
        let grow = try db.cachedStatement(
            sql: "UPDATE traces SET span_count = span_count + ?, bytes = bytes + ?, earliest_start_ns = MIN(earliest_start_ns, ?) WHERE id = ?")
        for (trace, added) in growth { try grow.execute(arguments: [added.spans, added.bytes, added.earliest, trace]) }
        let count = try db.cachedStatement(
            sql: """
                INSERT INTO operations (service, operation, kind, spans) VALUES (?, ?, ?, ?)
                ON CONFLICT (service, operation, kind) DO UPDATE SET spans = spans + excluded.spans
                """)
        for (key, spans) in operations { try count.execute(arguments: [key.service, key.operation, key.kind, spans]) }
    }

    /// Deletes, oldest first, the traces that arrived before `cutoff`, at most `batches`
    /// batches of them; true when some may remain.
    @discardableResult
    static func evict(_ db: Database, arrivedBefore cutoff: UInt64, batches: Int, change: inout Counters) throws -> Bool {
        let expired = try db.cachedStatement(sql: "SELECT id FROM traces WHERE arrived_ns < ? ORDER BY id LIMIT ?")
        for _ in 0..<batches {
            let traces = try Int64.fetchAll(expired, arguments: [Int64(clamping: cutoff), evictionBatch])
            try delete(traces, db, change: &change)
            if traces.count < evictionBatch { return false }
        }
        return true
    }

    /// Deletes the oldest traces until the estimated bytes stored are at most `maxBytes`.
    static func evict(_ db: Database, overBytes maxBytes: Int, stored: Counters, change: inout Counters) throws {
        let oldest = try db.cachedStatement(sql: "SELECT id, bytes FROM traces ORDER BY id LIMIT ?")
        while stored.bytes + change.bytes > maxBytes {
            var excess = stored.bytes + change.bytes - maxBytes
            var traces: [Int64] = []
            for row in try Row.fetchAll(oldest, arguments: [evictionBatch]) where excess > 0 {
                traces.append(row[0])
                excess -= row[1] as Int
            }
            guard !traces.isEmpty else { return }
            try delete(traces, db, change: &change)
        }
    }

    /// Deletes the traces numbered `traces` with their spans and tags, and uncounts their operations.
    static func delete(_ traces: [Int64], _ db: Database, change: inout Counters) throws {
        guard !traces.isEmpty else { return }
        // Integers the database gave, so written into the statement rather than bound one by one.
        let list = traces.map(String.init).joined(separator: ",")
        let removed = try Row.fetchAll(
            db, sql: "SELECT service, operation, kind, COUNT(*) FROM spans WHERE trace IN (\(list)) GROUP BY service, operation, kind")
        let uncount = try db.cachedStatement(sql: "UPDATE operations SET spans = spans - ? WHERE service = ? AND operation = ? AND kind = ?")
        let forget = try db.cachedStatement(sql: "DELETE FROM operations WHERE service = ? AND operation = ? AND kind = ? AND spans <= 0")
        for row in removed {
            let key: [String] = [row[0], row[1], row[2]]
            try uncount.execute(arguments: StatementArguments([row[3] as Int] + key))
            try forget.execute(arguments: StatementArguments(key))
        }
        try db.execute(sql: "DELETE FROM span_tags WHERE span IN (SELECT id FROM spans WHERE trace IN (\(list)))")
        try db.execute(sql: "DELETE FROM spans WHERE trace IN (\(list))")
        let totals = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(span_count), 0), COALESCE(SUM(bytes), 0) FROM traces WHERE id IN (\(list))")
        try db.execute(sql: "DELETE FROM traces WHERE id IN (\(list))")
        let count: Int = totals?[0] ?? 0
        change.traces -= count
        change.spans -= totals?[1] ?? 0
        change.bytes -= totals?[2] ?? 0
        change.evictedTraces += count
    }
}
