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
    func classify(_ span: SpanData) -> SpanErrorClassification?
}

/// Classifies from the span's status, HTTP status code, `exception.type` and breaker events.
package struct StatusCodeErrorClassifier: SpanErrorClassifying {
    package init() {}

    package func classify(_ span: SpanData) -> SpanErrorClassification? {
        guard span.status.isError else { return nil }
        if span.events.contains(where: { $0.name == "circuit_breaker.rejected" }) {
            return SpanErrorClassification(type: "circuit_breaker", severity: "high")
        }
        let attributes = span.attributes
        if let code = (attributes["http.response.status_code"] ?? attributes["http.status_code"])?.intValue,
           let classification = Self.classify(httpStatus: code)
        {
            return classification
        }
        let exceptionType = span.events.first { $0.name == "exception" }?.attributes["exception.type"]?.stringValue
            ?? attributes["error.type"]?.stringValue ?? ""
        return Self.classify(exceptionType: exceptionType)
    }

    static func classify(httpStatus code: Int64) -> SpanErrorClassification? {
        switch code {
        case 401: SpanErrorClassification(type: "authentication", severity: "medium")
        case 403: SpanErrorClassification(type: "authorization", severity: "medium")
        case 400, 409, 422: SpanErrorClassification(type: "validation", severity: "low")
        case 404: SpanErrorClassification(type: "not_found", severity: "low")
        case 429: SpanErrorClassification(type: "rate_limit", severity: "medium")
        case 408, 504: SpanErrorClassification(type: "timeout", severity: "high")
        case 502, 503: SpanErrorClassification(type: "service_unavailable", severity: "high")
        case 500..<600: SpanErrorClassification(type: "internal", severity: "critical")
        default: nil
        }
    }

    static func classify(exceptionType: String) -> SpanErrorClassification {
        let lowered = exceptionType.lowercased()
        let table: [(String, String, String)] = [
            ("circuit", "circuit_breaker", "high"), ("timeout", "timeout", "high"), ("timedout", "timeout", "high"),
            ("unavailable", "service_unavailable", "high"), ("ratelimit", "rate_limit", "medium"),
            ("rate_limit", "rate_limit", "medium"), ("authentication", "authentication", "medium"),
            ("unauthenticated", "authentication", "medium"), ("authorization", "authorization", "medium"),
            ("forbidden", "authorization", "medium"), ("permission", "authorization", "medium"),
            ("validation", "validation", "low"), ("invalid", "validation", "low"), ("notfound", "not_found", "low"),
            ("not_found", "not_found", "low"),
        ]
        for (needle, type, severity) in table where lowered.contains(needle) {
            return SpanErrorClassification(type: type, severity: severity)
        }
        return SpanErrorClassification(type: "internal", severity: "critical")
    }
}
