import TelemetryCore

/// The error type and severity of a failed span, with the seed's names.
package struct SpanErrorClassification: Sendable, Hashable {
    /// One of the seed's nine types: `authentication`, `authorization`, `validation`,
    /// `service_unavailable`, `timeout`, `rate_limit`, `circuit_breaker`, `internal`, `not_found`.
    package var type: String
    /// `low`, `medium`, `high` or `critical`.
    package var severity: String

    package init(type: String, severity: String) {
        self.type = type
        self.severity = severity
    }
}

/// Decides whether a span is an error and of which type; the seam where the
/// ErrorAggregation module's classifier plugs in.
package protocol SpanErrorClassifying: Sendable {
    /// `nil` when the span is not an error.
    func classify(_ span: TelemetrySpanData) -> SpanErrorClassification?
}
