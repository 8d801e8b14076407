import Foundation
import TelemetryCore

/// Jaeger's HTTP query API over a ``TraceRepository`` (``TraceStore`` or a database): the paths, parameters and JSON the Jaeger
/// UI and Grafana's Jaeger data source call, independent of any HTTP server.
///
/// - `GET /api/services`
/// - `GET /api/services/{service}/operations`
/// - `GET /api/operations?service=&spanKind=`
/// - `GET /api/traces?service=&operation=&tag=&tags=&minDuration=&maxDuration=&start=&end=&lookback=&limit=&traceID=`
/// - `GET /api/traces/{traceID}`
/// - `GET /api/dependencies?endTs=&lookback=`
///
/// A malformed parameter is answered 400 with Jaeger's error shape and message; a store
/// that fails (a database error) is answered 500 with the error's description.
public struct JaegerQueryAPI: Sendable {
    /// Where traces are looked up.
    public let store: any TraceRepository
    /// Wall-clock nanoseconds since the epoch.
    public let now: @Sendable () -> UInt64

    /// The API over `store`, whose retention is applied at `now()` before each request.
    public init(store: any TraceRepository, now: @escaping @Sendable () -> UInt64) {
        self.store = store
        self.now = now
    }

    /// An answer: an HTTP status and a JSON body.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: [UInt8]
    }

    /// The answer to `GET path?parameters`, or `nil` when `path` is not one of the API's.
    /// `path` is as received, percent-encoded; `parameters` are decoded, repeats kept in order.
    public func respond(path: String, parameters: [(String, String)]) -> Response? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        guard segments.first == "api" else { return nil }
        let query = Parameters(parameters)
        do {
            try store.expire(now: now())
            switch Array(segments.dropFirst()) {
            case ["services"]:
                let services = try store.services()
                return Self.ok(services, total: services.count)
            case let route where route.count == 3 && route[0] == "services" && route[2] == "operations":
                let names = Array(Set(try store.operations(service: route[1], kind: nil).map(\.name))).sorted()
                return Self.ok(names, total: names.count)
            case ["operations"]:
                return try operations(query)
            case ["traces"]:
                return try traces(query)
            case let route where route.count == 2 && route[0] == "traces":
                return try trace(route[1])
            case ["dependencies"]:
                return try dependencies(query)
            default:
                return nil
            }
        } catch let error as QueryError {
            return Self.failure(code: 400, error.message)
        } catch {
            return Self.failure(code: 500, "trace store: \(error)")
        }
    }

    /// The answer to `GET path?query`, `query` as received (form-encoded: `+` is a space, as
    /// Go's `FormValue`, which Jaeger uses, and Python's `urlencode` have it).
    public func respond(path: String, query: String?) -> Response? {
        respond(path: path, parameters: Self.formParameters(query ?? ""))
    }

    /// `a=1&b=x+y` as `[("a", "1"), ("b", "x y")]`, percent-escapes decoded, repeats kept in order.
    public static func formParameters(_ query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    func operations(_ query: Parameters) throws -> Response {
        guard let service = query.first("service"), !service.isEmpty else { throw QueryError("parameter 'service' is required") }
        var kind: TelemetrySpanKind?
        if let text = query.first("spanKind"), !text.isEmpty {
            guard let parsed = TelemetrySpanKind(rawValue: text.lowercased()) else {
                throw QueryError("unsupported span kind: '\(text)'; expected server, client, producer, consumer or internal")
            }
            kind = parsed
        }
        let operations = try store.operations(service: service, kind: kind).map { JaegerJSON.Operation(name: $0.name, spanKind: $0.kind.rawValue) }
        return Self.ok(operations, total: operations.count)
    }

    func traces(_ query: Parameters) throws -> Response {
        var ids: [TraceID] = []
        for text in query.all("traceID") {
            guard let id = JaegerJSON.parseTraceID(text) else { throw QueryError("cannot parse traceID param: '\(text)' is not 1 to 32 hex digits") }
            ids.append(id)
        }
        if !ids.isEmpty {
            let found = try ids.compactMap { try store.trace($0) }.map(JaegerJSON.trace)
            return Self.ok(found, total: found.count)
        }
        guard let service = query.first("service"), !service.isEmpty else { throw QueryError("parameter 'service' is required") }
        var search = TraceQuery(service: service)
        if let operation = query.first("operation"), !operation.isEmpty { search.operation = operation }
        search.tags = try Self.tags(simple: query.all("tag"), json: query.all("tags"))
        if let text = query.first("minDuration") { search.minDurationNanos = try Self.goDuration(text, "minDuration") }
        if let text = query.first("maxDuration") { search.maxDurationNanos = try Self.goDuration(text, "maxDuration") }
        if let low = search.minDurationNanos, let high = search.maxDurationNanos, low != 0, high != 0, high < low {
            throw QueryError("'maxDuration' should be greater than 'minDuration'")
        }
        if let text = query.first("end") { search.startMaxNanos = try Self.whole(text, "end", unitNanos: 1000) }
        if let text = query.first("start") { search.startMinNanos = try Self.whole(text, "start", unitNanos: 1000) }
        if search.startMinNanos == nil, let text = query.first("lookback"), let lookback = try Self.goDuration(text, "lookback") {
            let end = search.startMaxNanos ?? now()
            search.startMinNanos = end >= lookback ? end - lookback : 0
        }
        if let text = query.first("limit"), !text.isEmpty {
            guard let limit = Int(text), limit >= 0 else { throw QueryError("unable to parse param 'limit': expected a whole number, got '\(text)'") }
            if limit > 0 { search.limit = limit }
        }
        let found = try store.search(search).map(JaegerJSON.trace)
        return Self.ok(found, total: found.count)
    }

    func trace(_ text: String) throws -> Response {
        guard let id = JaegerJSON.parseTraceID(text) else { throw QueryError("cannot parse traceID param: '\(text)' is not 1 to 32 hex digits") }
        guard let spans = try store.trace(id) else { return Self.failure(code: 404, "trace not found", traceID: text) }
        return Self.ok([JaegerJSON.trace(spans)], total: 1)
    }

    func dependencies(_ query: Parameters) throws -> Response {
        var end = now()
        if let text = query.first("endTs"), let parsed = try Self.whole(text, "endTs", unitNanos: 1_000_000) { end = parsed }
        var lookback: UInt64 = 86_400_000_000_000
        if let text = query.first("lookback"), let parsed = try Self.whole(text, "lookback", unitNanos: 1_000_000) { lookback = parsed }
        let dependencies = try store.dependencies(startNanos: end >= lookback ? end - lookback : 0, endNanos: end).map {
            JaegerJSON.Dependency(parent: $0.parent, child: $0.child, callCount: UInt64($0.callCount.rounded()))
        }
        return Self.ok(dependencies, total: dependencies.count)
    }

    // MARK: Parameters

    struct Parameters {
        let pairs: [(String, String)]
        init(_ pairs: [(String, String)]) { self.pairs = pairs }
        func first(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
        func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
    }

    struct QueryError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// `tag=key:value` (repeatable) and `tags={"key":"value"}` (a JSON object of strings).
    static func tags(simple: [String], json: [String]) throws(QueryError) -> [String: String] {
        var tags: [String: String] = [:]
        for tag in simple {
            guard let colon = tag.firstIndex(of: ":") else {
                throw QueryError("malformed 'tag' parameter, expecting key:value, received: \(tag)")
            }
            tags[String(tag[..<colon])] = String(tag[tag.index(after: colon)...])
        }
        for text in json {
            guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
                throw QueryError("malformed 'tags' parameter, cannot unmarshal JSON: expected an object of strings, received: \(text)")
            }
            tags.merge(decoded) { $1 }
        }
        return tags
    }

    /// A whole number of `unitNanos` (microseconds, milliseconds), as nanoseconds; `nil` when empty.
    static func whole(_ text: String, _ name: String, unitNanos: UInt64) throws(QueryError) -> UInt64? {
        guard !text.isEmpty else { return nil }
        guard let value = UInt64(text) else { throw QueryError("unable to parse param '\(name)': expected a whole number, got '\(text)'") }
        let (nanos, overflow) = value.multipliedReportingOverflow(by: unitNanos)
        return overflow ? .max : nanos
    }

    /// A Go duration (`1.5ms`, `2h45m`, `300us`), the form Jaeger's `minDuration` and
    /// `maxDuration` take, through the project's one duration parser; `nil` when empty. The
    /// Jaeger UI's `lookback` may also count days (`2d`).
    static func goDuration(_ text: String, _ name: String) throws(QueryError) -> UInt64? {
        guard !text.isEmpty else { return nil }
        if name == "lookback", text.hasSuffix("d"), let days = UInt64(text.dropLast()), days <= 36_500 {
            return days * 86_400_000_000_000
        }
        do {
            return try ConfigurationValue.duration(text).saturatingNanoseconds
        } catch {
            throw QueryError("unable to parse param '\(name)': '\(text)' \(error)")
        }
    }

    static func ok(_ data: some Encodable, total: Int) -> Response {
        Response(status: 200, body: encode(JaegerJSON.Envelope(data: data, total: total)))
    }

    static func failure(code: Int, _ message: String, traceID: String? = nil) -> Response {
        Response(
            status: code,
            body: encode(JaegerJSON.Envelope<[String]>(data: nil, total: 0, errors: [.init(code: code, msg: message, traceID: traceID)])))
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        // Every value is made of strings, integers and finite doubles, which always encode.
        (try? Array(JSONEncoder().encode(value)))
            ?? Array(#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"encoding failed"}]}"#.utf8)
    }
}
