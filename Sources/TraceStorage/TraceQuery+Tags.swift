import TelemetryCore

extension TraceQuery {
    /// The synthesized tags a query may name (see `JaegerTags`).
    static let synthesizedTagKeys = [
        "error", "span.kind", "otel.status_code", "otel.status_description", "otel.scope.name", "otel.scope.version",
    ]

    /// Every key–value pair a tag condition can match on `span`, as text: exactly the pairs
    /// for which ``span(_:hasTag:value:)`` is true, so an index of them answers the same
    /// searches as a scan. Pairs may repeat.
    package static func searchableTags(of span: TelemetrySpanData) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = []
        for key in synthesizedTagKeys {
            if let value = JaegerTags.synthesized(key, of: span) { tags.append((key, value)) }
        }
        for attribute in span.attributes { tags.append((attribute.key, attribute.value.description)) }
        for attribute in span.resource.attributes { tags.append((attribute.key, attribute.value.description)) }
        for event in span.events {
            tags.append(("event", event.name))
            for attribute in event.attributes { tags.append((attribute.key, attribute.value.description)) }
        }
        return tags
    }
}
