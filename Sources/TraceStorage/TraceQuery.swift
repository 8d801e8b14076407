import TelemetryCore

/// A trace search: a trace matches when one of its spans satisfies every condition, as in
/// Jaeger's query service.
public struct TraceQuery: Sendable, Equatable {
    /// The span's `service.name`.
    public var service: String
    /// The span's name, when set.
    public var operation: String?
    /// Key–value conditions on the span's tags as the query API shows them (attributes, the
    /// synthesized `error`, `span.kind` and `otel.status_*` tags, resource attributes and
    /// event fields), compared as text.
    public var tags: [String: String]
    /// Bounds on the span's duration, in nanoseconds.
    public var minDurationNanos: UInt64?
    public var maxDurationNanos: UInt64?
    /// Bounds on the span's start time, in nanoseconds since the epoch.
    public var startMinNanos: UInt64?
    public var startMaxNanos: UInt64?
    /// The most traces returned.
    public var limit: Int

    public init(
        service: String, operation: String? = nil, tags: [String: String] = [:], minDurationNanos: UInt64? = nil,
        maxDurationNanos: UInt64? = nil, startMinNanos: UInt64? = nil, startMaxNanos: UInt64? = nil, limit: Int = 100
    ) {
        self.service = service
        self.operation = operation
        self.tags = tags
        self.minDurationNanos = minDurationNanos
        self.maxDurationNanos = maxDurationNanos
        self.startMinNanos = startMinNanos
        self.startMaxNanos = startMaxNanos
        self.limit = limit
    }

    /// Whether `span` satisfies every condition.
    public func matches(_ span: TelemetrySpanData) -> Bool {
        span.resource.serviceName == service && matchesConditions(span)
    }

    /// Every condition but the service, which the store compares by number.
    func matchesConditions(_ span: TelemetrySpanData) -> Bool {
        if let operation, span.name != operation { return false }
        let duration = span.durationNanos
        if let minDurationNanos, duration < minDurationNanos { return false }
        if let maxDurationNanos, duration > maxDurationNanos { return false }
        if let startMinNanos, span.startTimeNanos < startMinNanos { return false }
        if let startMaxNanos, span.startTimeNanos > startMaxNanos { return false }
        for (key, value) in tags where !Self.span(span, hasTag: key, value: value) { return false }
        return true
    }

    /// Whether one of the span's tags (as ``JaegerTags`` renders them), its resource's
    /// attributes or its events' fields has `key` with `value` as text; allocates nothing
    /// for a key the span lacks.
    static func span(_ span: TelemetrySpanData, hasTag key: String, value: String) -> Bool {
        if JaegerTags.synthesized(key, of: span) == value { return true }
        if let attribute = span.attributes[key], attribute.description == value { return true }
        if let attribute = span.resource.attributes[key], attribute.description == value { return true }
        for event in span.events {
            if key == "event", event.name == value { return true }
            if let attribute = event.attributes[key], attribute.description == value { return true }
        }
        return false
    }
}

/// The tags Jaeger's OpenTelemetry translation adds to a span beside its attributes.
enum JaegerTags {
    /// The value of the synthesized tag `key`, as text; `nil` when the span has no such tag.
    static func synthesized(_ key: String, of span: TelemetrySpanData) -> String? {
        switch key {
        case "error": span.status.isError && span.attributes["error"] == nil ? "true" : nil
        case "span.kind": span.kind == .internal ? nil : span.kind.rawValue
        case "otel.status_code": span.status == .unset ? nil : span.status.codeName
        case "otel.status_description":
            if case .error(let description?) = span.status, !description.isEmpty { description } else { nil }
        case "otel.scope.name": span.scope.name.isEmpty ? nil : span.scope.name
        case "otel.scope.version": span.scope.name.isEmpty ? nil : span.scope.version
        default: nil
        }
    }

    static func synthesized(for span: TelemetrySpanData) -> [TelemetryAttribute] {
        var tags: [TelemetryAttribute] = []
        if !span.scope.name.isEmpty {
            tags.append(TelemetryAttribute("otel.scope.name", .string(span.scope.name)))
            if let version = span.scope.version { tags.append(TelemetryAttribute("otel.scope.version", .string(version))) }
        }
        if span.kind != .internal { tags.append(TelemetryAttribute("span.kind", .string(span.kind.rawValue))) }
        switch span.status {
        case .unset: break
        case .ok: tags.append(TelemetryAttribute("otel.status_code", "OK"))
        case .error(let description):
            tags.append(TelemetryAttribute("otel.status_code", "ERROR"))
            if span.attributes["error"] == nil { tags.append(TelemetryAttribute("error", true)) }
            if let description, !description.isEmpty {
                tags.append(TelemetryAttribute("otel.status_description", .string(description)))
            }
        }
        return tags
    }
}
