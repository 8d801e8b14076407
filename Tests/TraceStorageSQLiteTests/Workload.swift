import TelemetryCore
import TraceStorage

/// Spans of random traces, the same for the same seed, for comparing the stores.
struct Workload {
    static let second: UInt64 = 1_000_000_000
    /// 2026-01-01T00:00:00Z in nanoseconds.
    static let epoch: UInt64 = 1_767_225_600 * second
    static let services = ["gateway", "orders", "billing", "search"]
    static let operations = ["GET /orders", "POST /orders", "SELECT", "charge", "lookup"]
    static let kinds: [TelemetrySpanKind] = [.server, .client, .internal, .producer, .consumer]

    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// A trace of one to six spans, each a child of an earlier one, starting near `start`.
    mutating func trace(_ number: UInt64, start: UInt64) -> [TelemetrySpanData] {
        let traceID = TraceID(high: 0xFEED, low: number)
        var spans: [TelemetrySpanData] = []
        for index in 0..<Int.random(in: 1...6, using: &random) {
            let spanStart = start + UInt64.random(in: 0...(5 * Self.second), using: &random)
            var span = TelemetrySpanData(
                traceID: traceID, spanID: SpanID(number << 8 | UInt64(index + 1)),
                parentSpanID: index == 0 ? nil : SpanID(number << 8 | UInt64(Int.random(in: 1...index, using: &random))),
                name: Self.operations.randomElement(using: &random)!, kind: Self.kinds.randomElement(using: &random)!,
                startTimeNanos: spanStart, endTimeNanos: spanStart + UInt64.random(in: 0...(200 * 1_000_000), using: &random),
                attributes: ["http.response.status_code": .int([200, 404, 500].randomElement(using: &random)!)],
                resource: TelemetryResource(attributes: [
                    "service.name": .string(Self.services.randomElement(using: &random)!), "host.name": .string(["h1", "h2"].randomElement(using: &random)!),
                ]),
                scope: TelemetryInstrumentationScope(name: "workload", version: "1.0"))
            if Int.random(in: 0..<5, using: &random) == 0 { span.status = .error(description: "boom") }
            if Int.random(in: 0..<4, using: &random) == 0 {
                span.events = [TelemetrySpanEvent(name: "retry", timeNanos: spanStart, attributes: ["attempt": .int(2)])]
            }
            if Int.random(in: 0..<6, using: &random) == 0 { span.traceState = TraceState(headerValue: "ot=th:c")! }
            if Int.random(in: 0..<10, using: &random) == 0 { span.attributes["error"] = .bool(false) }
            spans.append(span)
        }
        return spans
    }

    /// A search over the workload's services, operations, tags, durations and times.
    mutating func query(around now: UInt64) -> TraceQuery {
        var parts = TraceQuery(service: Self.services.randomElement(using: &random)!, limit: Int.random(in: 1...25, using: &random))
        if Bool.random(using: &random) { parts.operation = Self.operations.randomElement(using: &random)! }
        let tagChoices: [[String: String]] = [
            [:], ["error": "true"], ["http.response.status_code": "500"], ["span.kind": "client"], ["host.name": "h2"],
            ["event": "retry"], ["attempt": "2"], ["error": "false"], ["otel.status_code": "ERROR", "host.name": "h1"],
            ["otel.scope.version": "1.0"], ["otel.status_description": "boom"],
        ]
        parts.tags = tagChoices.randomElement(using: &random)!
        if Bool.random(using: &random) { parts.minDurationNanos = UInt64.random(in: 0...(100 * 1_000_000), using: &random) }
        if Int.random(in: 0..<3, using: &random) == 0 { parts.maxDurationNanos = UInt64.random(in: 50_000_000...200_000_000, using: &random) }
        if Bool.random(using: &random) { parts.startMinNanos = now - UInt64.random(in: 0...(120 * Self.second), using: &random) }
        if Int.random(in: 0..<3, using: &random) == 0 { parts.startMaxNanos = now - UInt64.random(in: 0...(60 * Self.second), using: &random) }
        return parts
    }
}

/// A small deterministic generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
