import TelemetryCore

/// Spans of small traces with known shape, for the store's and the query API's tests.
enum Fixtures {
    static let second: UInt64 = 1_000_000_000
    /// 2026-01-01T00:00:00Z in nanoseconds.
    static let epoch: UInt64 = 1_767_225_600 * second

    static func resource(_ service: String) -> TelemetryResource {
        TelemetryResource(attributes: ["service.name": .string(service), "host.name": "h1"])
    }

    static func span(
        trace: UInt64, span: UInt64, parent: UInt64? = nil, service: String, name: String, kind: TelemetrySpanKind = .server,
        start: UInt64 = epoch, milliseconds: UInt64 = 10, status: TelemetrySpanStatus = .unset,
        attributes: TelemetryAttributes = [:]
    ) -> TelemetrySpanData {
        TelemetrySpanData(
            traceID: TraceID(high: 0xABCD, low: trace), spanID: SpanID(span), parentSpanID: parent.map(SpanID.init), name: name, kind: kind,
            startTimeNanos: start, endTimeNanos: start + milliseconds * 1_000_000, attributes: attributes, status: status,
            resource: resource(service), scope: TelemetryInstrumentationScope(name: "tests"))
    }

    /// Trace `number`: gateway GET /orders (server) → gateway client call → orders POST /orders
    /// (server) → orders SELECT (client); failed traces end with an error status on the orders span.
    static func checkout(_ number: UInt64, failed: Bool = false, start: UInt64 = epoch) -> [TelemetrySpanData] {
        let base = number * 10
        return [
            span(trace: number, span: base + 1, service: "gateway", name: "GET /orders", start: start, milliseconds: 40),
            span(
                trace: number, span: base + 2, parent: base + 1, service: "gateway", name: "call orders", kind: .client, start: start + 1_000_000,
                milliseconds: 30),
            span(
                trace: number, span: base + 3, parent: base + 2, service: "orders", name: "POST /orders", start: start + 2_000_000,
                milliseconds: 25, status: failed ? .error(description: "boom") : .unset, attributes: ["http.response.status_code": failed ? 500 : 200]),
            span(trace: number, span: base + 4, parent: base + 3, service: "orders", name: "SELECT", kind: .client, start: start + 3_000_000, milliseconds: 5),
        ]
    }
}
