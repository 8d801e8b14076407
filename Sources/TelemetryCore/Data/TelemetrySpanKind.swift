/// The role of a span in a trace, as OpenTelemetry defines it.
public enum TelemetrySpanKind: String, Sendable, Hashable, CaseIterable {
    case `internal`
    case server
    case client
    case producer
    case consumer
}
