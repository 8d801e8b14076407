import TelemetryCore

/// Finished spans that exercise every field an exporter maps, for encoder and exporter tests.
public enum SpanFixtures {
    /// A resource with a service name, version and a numeric attribute.
    public static let resource = TelemetryResource(attributes: [
        "service.name": "checkout",
        "service.version": "1.2.3",
        "host.cores": 8,
    ])

    /// The trace ID of `full`.
    public static let traceID = TraceID(high: 0x0102_0304_0506_0708, low: 0x8899_aabb_ccdd_eeff)

    /// A server span with a parent, trace state, attributes of each type, events, a link and an error status.
    public static var full: TelemetrySpanData {
        TelemetrySpanData(
            traceID: traceID,
            spanID: SpanID(0xfeed_face_cafe_beef),
            parentSpanID: SpanID(0x1111_2222_3333_4444),
            traceFlags: .sampled,
            traceState: TraceState(headerValue: "ot=th:e6,vendor=x")!,
            name: "GET /cart",
            kind: .server,
            startTimeNanos: 1_700_000_000_123_456_000,
            endTimeNanos: 1_700_000_000_223_456_000,
            attributes: [
                "http.method": "GET",
                "http.status_code": 503,
                "retry": true,
                "ratio": 0.25,
                "negative": -42,
            ],
            events: [
                TelemetrySpanEvent(
                    name: "exception", timeNanos: 1_700_000_000_150_000_000,
                    attributes: [
                        "exception.type": "Timeout", "exception.escaped": false,
                    ]),
                TelemetrySpanEvent(name: "retry", timeNanos: 1_700_000_000_160_000_000),
            ],
            links: [
                TelemetrySpanLink(context: SpanContext(traceID: TraceID(high: 9, low: 10), spanID: SpanID(11), traceFlags: .sampled))
            ],
            status: .error(description: "upstream timed out"),
            resource: resource,
            scope: TelemetryInstrumentationScope(name: "swift-telemetry", version: "0.1.0")
        )
    }

    /// A minimal root span with an OK status.
    public static var root: TelemetrySpanData {
        TelemetrySpanData(
            traceID: TraceID(high: 0, low: 0x42),
            spanID: SpanID(7),
            traceFlags: [],
            name: "root",
            kind: .internal,
            startTimeNanos: 5_000,
            endTimeNanos: 9_000,
            status: .ok,
            resource: resource
        )
    }
}
