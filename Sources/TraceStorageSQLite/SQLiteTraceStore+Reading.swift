import Foundation
import GRDB
import OTLPExporter
import TelemetryCore
import TraceStorage

extension SQLiteTraceStore {
    /// The spans of one trace, in arrival order; `nil` when it is not stored.
    public func trace(_ id: TraceID) throws -> [TelemetrySpanData]? {
        try pool.read { db in
            let blobs = try Data.fetchAll(
                db, sql: "SELECT s.data FROM spans s JOIN traces t ON s.trace = t.id WHERE t.trace_id = ? ORDER BY s.id",
                arguments: [Data(id.bytes)])
            return blobs.isEmpty ? nil : try blobs.map(Self.decode)
        }
    }

    /// The services that have spans stored, sorted.
    public func services() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT service FROM operations") }.sorted()
    }

    /// The operations of `service` (all span kinds when `kind` is `nil`), sorted by name then kind.
    public func operations(service: String, kind: TelemetrySpanKind? = nil) throws -> [TraceStore.ServiceOperation] {
        let rows = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT operation, kind FROM operations WHERE service = ?", arguments: [service])
                .map { (name: $0[0] as String, kind: $0[1] as String) }
        }
        return rows.compactMap { row in
            TelemetrySpanKind(rawValue: row.kind).flatMap { kind == nil || $0 == kind ? TraceStore.ServiceOperation(row.name, kind: $0) : nil }
        }.sorted()
    }

    /// The newest traces with a span matching `query`, at most `query.limit`, newest first.
    ///
    /// Walks the service's (or operation's) index from the newest trace back, checking start
    /// and duration in the index and each tag condition with one lookup, until `limit`
    /// traces matched.
    public func search(_ query: TraceQuery) throws -> [[TelemetrySpanData]] {
        guard query.limit > 0 else { return [] }
        var sql = "SELECT DISTINCT s.trace FROM spans s WHERE s.service = ?"
        var arguments: [any DatabaseValueConvertible] = [query.service]
        if let operation = query.operation {
            sql += " AND s.operation = ?"
            arguments.append(operation)
        }
        let bounds: [(String, UInt64?)] = [
            ("s.duration_ns >= ?", query.minDurationNanos), ("s.duration_ns <= ?", query.maxDurationNanos),
            ("s.start_ns >= ?", query.startMinNanos), ("s.start_ns <= ?", query.startMaxNanos),
        ]
        for case (let condition, let value?) in bounds {
            sql += " AND \(condition)"
            arguments.append(Int64(clamping: value))
        }
        for (key, value) in query.tags.sorted(by: { $0.key < $1.key }) {
            sql += " AND EXISTS (SELECT 1 FROM span_tags t WHERE t.span = s.id AND t.key = ? AND t.value = ?)"
            arguments += [key, value]
        }
        sql += " ORDER BY s.trace DESC LIMIT ?"
        arguments.append(query.limit)
        return try pool.read { db in
            let traces = try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            return try Self.spans(of: traces, db)
        }
    }

    /// Calls between services in the traces whose earliest span started within
    /// `startNanos...endNanos`, each weighted by the calling span's sampling weight, computed
    /// from the columns without decoding a span.
    public func dependencies(startNanos: UInt64, endNanos: UInt64) throws -> [TraceStore.ServiceDependency] {
        guard startNanos <= endNanos else { return [] }
        let rows = try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.trace, s.span_id, s.parent_span_id, s.service, s.adjusted_count FROM spans s
                    WHERE s.trace IN (SELECT id FROM traces WHERE earliest_start_ns BETWEEN ? AND ?) ORDER BY s.trace, s.id
                    """,
                arguments: [Int64(clamping: startNanos), Int64(clamping: endNanos)]
            ).map { CallRow(trace: $0[0], spanID: $0[1], parentSpanID: $0[2], service: $0[3], weight: $0[4]) }
        }
        var calls: [Pair: Double] = [:]
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = rows[start...].firstIndex { $0.trace != rows[start].trace } ?? rows.endIndex
            let trace = rows[start..<end]
            var serviceOf: [Int64: String] = [:]
            for span in trace { serviceOf[span.spanID] = span.service }
            for span in trace {
                guard let parent = span.parentSpanID, let parentService = serviceOf[parent], parentService != span.service else { continue }
                calls[Pair(parent: parentService, child: span.service), default: 0] += span.weight
            }
            start = end
        }
        return calls.map { TraceStore.ServiceDependency(from: $0.key.parent, to: $0.key.child, callCount: $0.value) }
            .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
    }

    struct CallRow {
        var trace: Int64
        var spanID: Int64
        var parentSpanID: Int64?
        var service: String
        var weight: Double
    }

    struct Pair: Hashable {
        var parent: String
        var child: String
    }

    /// The spans of the traces numbered `traces`, each in arrival order, in the order given.
    static func spans(of traces: [Int64], _ db: Database) throws -> [[TelemetrySpanData]] {
        guard !traces.isEmpty else { return [] }
        let list = traces.map(String.init).joined(separator: ",")
        var spans: [Int64: [TelemetrySpanData]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT trace, data FROM spans WHERE trace IN (\(list)) ORDER BY id")
        while let row = try rows.next() {
            spans[row[0], default: []].append(try decode(row[1]))
        }
        return traces.compactMap { spans[$0] }
    }

    /// A span from its stored OTLP protobuf encoding.
    static func decode(_ data: Data) throws -> TelemetrySpanData {
        let decoded: OTLPDecodedTraces
        do {
            decoded = try OTLPTraceDecoder.decode(protobuf: data)
        } catch {
            throw SQLiteTraceStoreError.decoding("\(error)")
        }
        guard decoded.spans.count == 1, let span = decoded.spans.first else {
            throw SQLiteTraceStoreError.decoding("expected one span, found \(decoded.spans.count)")
        }
        return span
    }
}
