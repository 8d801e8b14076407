import Foundation
import GRDB
import Synchronization
import TelemetryCore
import TraceStorage

/// Recent traces in an SQLite database file, so they survive a restart: the same queries as
/// ``TraceStorage/TraceStore``, bounded by the same estimate of the spans' size and by a
/// retention period, evicting the traces that arrived first.
///
/// The database is in WAL mode: searches read a snapshot while spans are written, and each
/// ``insert(_:now:)`` is one transaction. Spans are kept as OTLP protobuf, one per row, beside
/// the columns and tag rows searches use (see `SQLiteTraceStore+Schema.swift`).
public final class SQLiteTraceStore: TraceRepository {
    /// Where the database lives and what it may hold.
    public struct Configuration: Sendable, Equatable {
        /// The database file, created when missing. YAML `path`, required.
        public var path: String
        /// The estimated size of the stored spans (``TraceStorage/TraceStore/estimatedBytes(of:)``,
        /// the measure the memory store bounds beside its index) above which the oldest traces
        /// are deleted.
        /// The file is larger by its indexes and tag rows. Default 64 MiB; YAML `max_bytes`.
        public var maxBytes: Int
        /// How long a trace is kept after its first span arrived. Default one hour; YAML `retention`.
        public var retention: Duration

        /// A configuration for the database at `path`.
        public init(path: String, maxBytes: Int = 64 << 20, retention: Duration = .seconds(3600)) {
            self.path = path
            self.maxBytes = maxBytes
            self.retention = retention
        }
    }

    /// The store's bounds and file.
    public let configuration: Configuration
    let pool: DatabasePool
    /// What the database holds, kept beside it so a metrics scrape does not count rows;
    /// changed only by a committed write, under GRDB's writer lock.
    let counters: Mutex<Counters>

    /// Opens the database at the configured path, creating it and its tables when missing.
    ///
    /// Throws when the file cannot be opened or written, or is not an SQLite database.
    public init(configuration: Configuration) throws(SQLiteTraceStoreError) {
        self.configuration = configuration
        do {
            var options = GRDB.Configuration()
            // Another handle on the file (a second pipeline, a backup) delays a write instead of failing it.
            options.busyMode = .timeout(5)
            // In WAL mode NORMAL loses no committed transaction when the process crashes, only on power loss.
            options.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let pool = try DatabasePool(path: configuration.path, configuration: options)
            try Self.migrator.migrate(pool)
            let counters = try pool.read(Self.countStored)
            self.pool = pool
            self.counters = Mutex(counters)
        } catch {
            throw .opening(path: configuration.path, reason: "\(error)")
        }
    }

    /// Adds spans that arrived at `now` (wall-clock nanoseconds) in one transaction, deleting
    /// first the traces that outlived the retention, then the oldest beyond `maxBytes`.
    public func insert(_ spans: some Collection<TelemetrySpanData>, now: UInt64) throws {
        guard !spans.isEmpty else { return }
        // Encoding and tag extraction happen before the writer lock is taken.
        let rows = spans.map(SpanRow.init)
        let cutoff = retentionCutoff(now: now)
        try write { db, stored, change in
            // Expired traces go first, so a late span of one starts it anew rather than joining it on its way out.
            try Self.evict(db, arrivedBefore: cutoff, batches: .max, change: &change)
            try Self.insert(rows, now: now, db, change: &change)
            try Self.evict(db, overBytes: configuration.maxBytes, stored: stored, change: &change)
        }
    }

    /// Deletes the traces that outlived the retention at `now`, a batch per transaction so
    /// writers wait for one batch at most; ``insert(_:now:)`` does this too.
    public func expire(now: UInt64) throws {
        let cutoff = retentionCutoff(now: now)
        var more = true
        while more {
            try write { db, stored, change in
                more = try Self.evict(db, arrivedBefore: cutoff, batches: 1, change: &change)
                try Self.evict(db, overBytes: configuration.maxBytes, stored: stored, change: &change)
            }
        }
    }

    /// What the database holds now; `evictedTraces` counts since it was opened.
    public var statistics: TraceStore.Statistics {
        counters.withLock { TraceStore.Statistics(traceCount: $0.traces, spanCount: $0.spans, bytes: $0.bytes, evicted: $0.evictedTraces) }
    }

    /// Traces that arrived before this outlived the retention at `now`.
    func retentionCutoff(now: UInt64) -> UInt64 {
        let retention = configuration.retention.saturatingNanoseconds
        return now >= retention ? now - retention : 0
    }

    /// Runs `body` in one transaction and, once it committed, applies the change it counted.
    func write(_ body: (Database, Counters, inout Counters) throws -> Void) throws {
        try pool.writeWithoutTransaction { db in
            let stored = counters.withLock { $0 }
            var change = Counters()
            try db.inTransaction {
                try body(db, stored, &change)
                return .commit
            }
            counters.withLock { $0.add(change) }
        }
    }

    /// Traces, spans and estimated bytes stored, or a change to them.
    struct Counters: Sendable {
        var traces = 0
        var spans = 0
        var bytes = 0
        var evictedTraces = 0

        mutating func add(_ change: Counters) {
            traces += change.traces
            spans += change.spans
            bytes += change.bytes
            evictedTraces += change.evictedTraces
        }
    }

    static func countStored(_ db: Database) throws -> Counters {
        let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(span_count), 0), COALESCE(SUM(bytes), 0) FROM traces")
        return Counters(traces: row?[0] ?? 0, spans: row?[1] ?? 0, bytes: row?[2] ?? 0)
    }
}

/// A trace store's database that cannot be used.
public struct SQLiteTraceStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    private enum Code: Sendable, Equatable {
        case cannotOpen
        case corruptSpan
    }

    private let code: Code
    /// What went wrong, with the database's path.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// The file at `path` cannot be opened or written, or is not an SQLite database.
    static func opening(path: String, reason: String) -> Self {
        Self(.cannotOpen, "cannot open the trace store database '\(path)': \(reason)")
    }

    /// A stored span no longer decodes.
    static func decoding(_ reason: String) -> Self {
        Self(.corruptSpan, "a span stored in the trace store database does not decode: \(reason)")
    }

    /// The file cannot be opened or written, or is not an SQLite database.
    public static let cannotOpen = Self(.cannotOpen, "")
    /// A stored span no longer decodes.
    public static let corruptSpan = Self(.corruptSpan, "")
}
