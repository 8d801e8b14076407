import TelemetryCore

extension TelemetrySpanData {
    /// One span as a JSON object on one line, for the file and debug exporters.
    var jsonLine: String {
        var out = "{\"trace_id\":\"\(traceID.hexString)\",\"span_id\":\"\(spanID.hexString)\""
        if let parentSpanID { out += ",\"parent_span_id\":\"\(parentSpanID.hexString)\"" }
        if !traceState.isEmpty { out += ",\"trace_state\":" + JSONText.quoted(traceState.headerValue) }
        out += ",\"name\":" + JSONText.quoted(name)
        out += ",\"kind\":\"\(kind.rawValue)\""
        out += ",\"service\":" + JSONText.quoted(resource.serviceName)
        out += ",\"start_time_unix_nano\":\(startTimeNanos),\"end_time_unix_nano\":\(endTimeNanos)"
        out += ",\"status\":{\"code\":\"\(status.codeName)\""
        if case .error(let description?) = status { out += ",\"message\":" + JSONText.quoted(description) }
        out += "}"
        out += ",\"attributes\":" + Self.json(attributes)
        out += ",\"resource\":" + Self.json(resource.attributes)
        if !events.isEmpty {
            out +=
                ",\"events\":["
                + events.map { event in
                    "{\"name\":" + JSONText.quoted(event.name) + ",\"time_unix_nano\":\(event.timeNanos),\"attributes\":" + Self.json(event.attributes) + "}"
                }.joined(separator: ",") + "]"
        }
        return out + "}"
    }

    static func json(_ attributes: TelemetryAttributes) -> String {
        "{" + attributes.map { JSONText.quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }

    static func json(_ value: TelemetryAttributeValue) -> String {
        switch value {
        case .string(let text): JSONText.quoted(text)
        case .bool(let flag): String(flag)
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? String(number) : JSONText.quoted(String(number))
        case .stringArray(let values): "[" + values.map(JSONText.quoted).joined(separator: ",") + "]"
        case .boolArray, .intArray, .doubleArray: value.description
        }
    }
}
