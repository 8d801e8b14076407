import TelemetryCore

/// Writes one line per span to standard output; for development and debugging.
public struct ConsoleSpanExporter: SpanExporter {
    private let write: @Sendable (String) -> Void

    /// Creates an exporter printing to standard output.
    public init() {
        write = { print($0) }
    }

    /// Creates an exporter handing each line to `write` (for tests or a custom sink).
    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public func export(_ batch: [TelemetrySpanData]) async throws {
        for span in batch { write(Self.line(for: span)) }
    }

    /// `name trace=… span=… parent=… kind=… duration=…µs status=… {attributes}`.
    static func line(for span: TelemetrySpanData) -> String {
        var line = "\(span.name) trace=\(span.traceID.hexString) span=\(span.spanID.hexString)"
        if let parent = span.parentSpanID { line += " parent=\(parent.hexString)" }
        line += " kind=\(span.kind.rawValue) duration=\(span.durationNanos / 1000)µs status=\(span.status.codeName)"
        if case .error(let description?) = span.status { line += "(\(description))" }
        if !span.attributes.isEmpty {
            line += " {" + span.attributes.map { "\($0.key)=\($0.value.description)" }.joined(separator: ", ") + "}"
        }
        for event in span.events { line += " event=\(event.name)" }
        return line
    }
}
