import TelemetryCore

/// Spans grouped as OTLP nests them: by resource, then by instrumentation scope.
package struct ResourceGroup {
    package struct ScopeGroup {
        package var scope: TelemetryInstrumentationScope
        package var spans: [TelemetrySpanData]
    }

    package var resource: TelemetryResource
    package var scopes: [ScopeGroup]

    var spanCount: Int { scopes.reduce(0) { $0 + $1.spans.count } }

    /// Groups in order of first appearance, keeping each group's spans in input order.
    package static func group(_ spans: [TelemetrySpanData]) -> [ResourceGroup] {
        var groups: [ResourceGroup] = []
        for span in spans {
            // Batches usually hold one resource and scope: check the last group first.
            let resourceIndex: Int
            if let last = groups.indices.last, groups[last].resource == span.resource {
                resourceIndex = last
            } else if let found = groups.firstIndex(where: { $0.resource == span.resource }) {
                resourceIndex = found
            } else {
                groups.append(ResourceGroup(resource: span.resource, scopes: []))
                resourceIndex = groups.count - 1
            }
            if let last = groups[resourceIndex].scopes.indices.last, groups[resourceIndex].scopes[last].scope == span.scope {
                groups[resourceIndex].scopes[last].spans.append(span)
            } else if let found = groups[resourceIndex].scopes.firstIndex(where: { $0.scope == span.scope }) {
                groups[resourceIndex].scopes[found].spans.append(span)
            } else {
                groups[resourceIndex].scopes.append(ScopeGroup(scope: span.scope, spans: [span]))
            }
        }
        return groups
    }
}
