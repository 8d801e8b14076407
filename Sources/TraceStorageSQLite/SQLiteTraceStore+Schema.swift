import GRDB

extension SQLiteTraceStore {
    /// The tables, each named for what a query looks up:
    ///
    /// - `traces`: one row per stored trace, numbered in the order its first span arrived
    ///   (`id`, which searches sort by, newest first), with its arrival time (retention), its
    ///   earliest span's start (dependencies) and its span count and estimated bytes (`max_bytes`).
    /// - `spans`: one row per span, the OTLP protobuf encoding of the span in `data` and the
    ///   columns a search compares: service, operation, kind, start, duration, error, and the
    ///   sampling weight (`adjusted_count`) that dependencies count. Its indexes lead with the
    ///   service (and operation) and then the trace number, so a search walks one service's
    ///   spans newest trace first and stops at the limit; start and duration ride in the index,
    ///   so most rows that fail them are skipped without reading the table.
    /// - `span_tags`: the text key–value pairs a tag condition can match (`TraceQuery`'s
    ///   synthesized tags, attributes, resource attributes, event names and fields), keyed by
    ///   span, key and value: a search checks each condition on a candidate span of the
    ///   service with one key lookup. No index leads with key and value: SQLite does not
    ///   start from it for a correlated `EXISTS`, and it cost 11 % of the insert rate and a
    ///   quarter of the file in a 100 000-span measurement.
    /// - `operations`: span counts per service, operation and kind, kept as spans come and go,
    ///   so listing services and operations reads a few rows rather than every span.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("traces, spans, span_tags, operations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE traces (
                        id INTEGER PRIMARY KEY,
                        trace_id BLOB NOT NULL UNIQUE,
                        arrived_ns INTEGER NOT NULL,
                        earliest_start_ns INTEGER NOT NULL,
                        span_count INTEGER NOT NULL,
                        bytes INTEGER NOT NULL
                    );
                    CREATE INDEX traces_by_arrival ON traces (arrived_ns);
                    CREATE INDEX traces_by_start ON traces (earliest_start_ns);

                    CREATE TABLE spans (
                        id INTEGER PRIMARY KEY,
                        trace INTEGER NOT NULL REFERENCES traces (id),
                        span_id INTEGER NOT NULL,
                        parent_span_id INTEGER,
                        service TEXT NOT NULL,
                        operation TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        start_ns INTEGER NOT NULL,
                        duration_ns INTEGER NOT NULL,
                        error INTEGER NOT NULL,
                        adjusted_count REAL NOT NULL,
                        data BLOB NOT NULL
                    );
                    CREATE INDEX spans_by_trace ON spans (trace);
                    CREATE INDEX spans_by_service ON spans (service, trace, start_ns, duration_ns);
                    CREATE INDEX spans_by_operation ON spans (service, operation, trace, start_ns, duration_ns);

                    CREATE TABLE span_tags (
                        span INTEGER NOT NULL REFERENCES spans (id),
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (span, key, value)
                    ) WITHOUT ROWID;

                    CREATE TABLE operations (
                        service TEXT NOT NULL,
                        operation TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        spans INTEGER NOT NULL,
                        PRIMARY KEY (service, operation, kind)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
