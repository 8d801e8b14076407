import TelemetryCore

/// Where the query API and the `tracestore` exporter keep and find traces: ``TraceStore`` in
/// memory, or a database that survives a restart.
///
/// Every implementation answers a query the same way for the same spans: traces are
/// numbered by the arrival of their first span, searches return the newest first, and
/// retention and the size bound evict the traces that arrived first.
public protocol TraceRepository: Sendable {
    /// Adds spans that arrived at `now` (wall-clock nanoseconds), then evicts what the bounds
    /// no longer allow.
    func insert(_ spans: some Collection<TelemetrySpanData>, now: UInt64) throws

    /// Evicts the traces that outlived the retention at `now`.
    func expire(now: UInt64) throws

    /// The spans of one trace, in arrival order; `nil` when it is not stored.
    func trace(_ id: TraceID) throws -> [TelemetrySpanData]?

    /// The services that have spans stored, sorted.
    func services() throws -> [String]

    /// The operations of `service` (all span kinds when `kind` is `nil`), sorted by name then kind.
    func operations(service: String, kind: TelemetrySpanKind?) throws -> [TraceStore.ServiceOperation]

    /// The newest traces with a span matching `query`, at most `query.limit`, newest first.
    func search(_ query: TraceQuery) throws -> [[TelemetrySpanData]]

    /// Calls between services in the traces whose earliest span started within
    /// `startNanos...endNanos`, weighted by each span's sampling weight.
    func dependencies(startNanos: UInt64, endNanos: UInt64) throws -> [TraceStore.ServiceDependency]

    /// What the repository holds now.
    var statistics: TraceStore.Statistics { get }
}
