import TelemetryCore

/// Writes each span as one JSON line on standard output, for `OTEL_TRACES_EXPORTER=console`.
public struct ConsoleSpanExporter: SpanExporter {
    private let write: @Sendable (String) -> Void

    /// Creates an exporter printing to standard output, or handing lines to `write`.
    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    /// Prints one line per span.
    public func export(_ batch: [SpanData]) async throws {
        for span in batch { write(Self.line(for: span)) }
    }

    static func line(for span: SpanData) -> String {
        var fields = [
            "\"traceId\":\"\(span.traceID.hexString)\"",
            "\"spanId\":\"\(span.spanID.hexString)\"",
        ]
        if let parent = span.parentSpanID { fields.append("\"parentSpanId\":\"\(parent.hexString)\"") }
        fields.append("\"name\":" + JSONText.quoted(span.name))
        fields.append("\"kind\":\"\(span.kind.rawValue)\"")
        fields.append("\"service\":" + JSONText.quoted(span.resource.serviceName))
        fields.append("\"startTimeUnixNano\":\(span.startTimeNanos)")
        fields.append("\"durationNanos\":\(span.durationNanos)")
        fields.append("\"status\":\"\(span.status.codeName)\"")
        let attributes = span.attributes.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value.description) }
        fields.append("\"attributes\":{" + attributes.joined(separator: ",") + "}")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
