import TelemetryCore

/// Builds spans for tests with only the fields a test cares about.
enum Spans {
    static func make(
        service: String = "user-service", name: String = "GET /internal", kind: TelemetrySpanKind = .server, traceLow: UInt64 = 1,
        spanID: UInt64 = 1, parent: UInt64? = nil, startNanos: UInt64 = 1_000_000_000, durationMillis: UInt64 = 20,
        status: TelemetrySpanStatus = .unset, attributes: TelemetryAttributes = [:], events: [TelemetrySpanEvent] = [], traceState: TraceState = TraceState()
    ) -> TelemetrySpanData {
        TelemetrySpanData(
            traceID: TraceID(high: 0xABCD, low: traceLow), spanID: SpanID(spanID), parentSpanID: parent.map(SpanID.init),
            traceState: traceState, name: name, kind: kind, startTimeNanos: startNanos,
            endTimeNanos: startNanos + durationMillis * 1_000_000, attributes: attributes, events: events, status: status,
            resource: TelemetryResource(attributes: ["service.name": .string(service)]))
    }

    /// A trace state carrying the threshold for `probability`.
    static func sampled(at probability: Double) -> TraceState {
        var state = TraceState()
        state.set("ot", "th:" + SamplingThreshold(probability: probability)!.thValue)
        return state
    }
}
