import TelemetryCore

/// Reads OTLP/JSON `ExportTraceServiceRequest` bodies.
enum OTLPJSONDecoder {
    static func decode(_ bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .json("\(error.message) at byte \(error.offset)")
        }
        guard case .object = document else { throw .json("the top level is not an object") }
        var result = OTLPDecodedTraces()
        for resourceSpans in try list(document["resourceSpans", "resource_spans"], "resourceSpans") {
            let resource = TelemetryResource(attributes: try attributes(resourceSpans["resource"]?["attributes"], "resource.attributes"))
            for scopeSpans in try list(resourceSpans["scopeSpans", "scope_spans"], "scopeSpans") {
                let scopeValue = scopeSpans["scope"]
                let version = scopeValue?["version"]?.string ?? ""
                let scope = TelemetryInstrumentationScope(name: scopeValue?["name"]?.string ?? "", version: version.isEmpty ? nil : version)
                for span in try list(scopeSpans["spans"], "spans") {
                    if let decoded = try decodeSpan(span, resource: resource, scope: scope, into: &result) {
                        result.spans.append(decoded)
                    }
                }
            }
        }
        return result
    }

    private static func decodeSpan(
        _ span: JSONValue, resource: TelemetryResource, scope: TelemetryInstrumentationScope, into result: inout OTLPDecodedTraces
    ) throws(OTLPDecodingError) -> TelemetrySpanData? {
        guard case .object = span else { throw .json("a span is not an object") }
        let name = span["name"]?.string ?? ""
        guard let traceID = span["traceId", "trace_id"]?.string.flatMap({ TraceID(hexString: $0) }), traceID.isValid else {
            result.reject("span \(name.debugDescription) has an invalid traceId (OTLP/JSON wants 32 hex digits)")
            return nil
        }
        guard let spanID = span["spanId", "span_id"]?.string.flatMap({ SpanID(hexString: $0) }), spanID.isValid else {
            result.reject("span \(name.debugDescription) has an invalid spanId (OTLP/JSON wants 16 hex digits)")
            return nil
        }
        var parent: SpanID?
        if let parentText = span["parentSpanId", "parent_span_id"]?.string, !parentText.isEmpty {
            guard let parsed = SpanID(hexString: parentText) else {
                result.reject("span \(name.debugDescription) has an invalid parentSpanId")
                return nil
            }
            parent = parsed.isValid ? parsed : nil
        }
        var events: [TelemetrySpanEvent] = []
        for event in try list(span["events"], "events") {
            events.append(
                TelemetrySpanEvent(
                    name: event["name"]?.string ?? "",
                    timeNanos: event["timeUnixNano", "time_unix_nano"]?.uint64 ?? 0,
                    attributes: try attributes(event["attributes"], "event attributes"),
                    droppedAttributesCount: event["droppedAttributesCount", "dropped_attributes_count"]?.uint32 ?? 0
                ))
        }
        var links: [TelemetrySpanLink] = []
        for link in try list(span["links"], "links") {
            guard let linkTrace = link["traceId", "trace_id"]?.string.flatMap({ TraceID(hexString: $0) }),
                let linkSpan = link["spanId", "span_id"]?.string.flatMap({ SpanID(hexString: $0) })
            else { continue }
            links.append(
                TelemetrySpanLink(
                    context: SpanContext(
                        traceID: linkTrace,
                        spanID: linkSpan,
                        traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: link["flags"]?.uint32 ?? 0)),
                        traceState: TraceState(headerValue: link["traceState", "trace_state"]?.string ?? "") ?? TraceState()
                    ),
                    attributes: try attributes(link["attributes"], "link attributes"),
                    droppedAttributesCount: link["droppedAttributesCount", "dropped_attributes_count"]?.uint32 ?? 0
                ))
        }
        var status = TelemetrySpanStatus.unset
        if let statusValue = span["status"] {
            let message = statusValue["message"]?.string ?? ""
            switch enumValue(statusValue["code"], prefix: "STATUS_CODE_", names: ["UNSET", "OK", "ERROR"]) {
            case 1: status = .ok
            case 2: status = .error(description: message.isEmpty ? nil : message)
            default: status = .unset
            }
        }
        let kindNumber = enumValue(span["kind"], prefix: "SPAN_KIND_", names: ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"])
        return TelemetrySpanData(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parent,
            traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: span["flags"]?.uint32 ?? 0)),
            traceState: TraceState(headerValue: span["traceState", "trace_state"]?.string ?? "") ?? TraceState(),
            name: name,
            kind: TelemetrySpanKind(otlpValue: kindNumber) ?? .internal,
            startTimeNanos: span["startTimeUnixNano", "start_time_unix_nano"]?.uint64 ?? 0,
            endTimeNanos: span["endTimeUnixNano", "end_time_unix_nano"]?.uint64 ?? 0,
            attributes: try attributes(span["attributes"], "span attributes"),
            events: events,
            links: links,
            status: status,
            resource: resource,
            scope: scope,
            droppedAttributesCount: span["droppedAttributesCount", "dropped_attributes_count"]?.uint32 ?? 0,
            droppedEventsCount: span["droppedEventsCount", "dropped_events_count"]?.uint32 ?? 0,
            droppedLinksCount: span["droppedLinksCount", "dropped_links_count"]?.uint32 ?? 0
        )
    }

    /// An enum given as its number or its name (with or without the proto prefix).
    private static func enumValue(_ value: JSONValue?, prefix: String, names: [String]) -> Int {
        switch value {
        case .number(let text): return Int(text) ?? 0
        case .string(let text):
            let bare = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
            return names.firstIndex(of: bare) ?? Int(text) ?? 0
        default: return 0
        }
    }

    private static func list(_ value: JSONValue?, _ what: String) throws(OTLPDecodingError) -> [JSONValue] {
        guard let value else { return [] }
        guard let array = value.array else { throw .json("\(what) is not an array") }
        return array
    }

    private static func attributes(_ value: JSONValue?, _ what: String) throws(OTLPDecodingError) -> TelemetryAttributes {
        var result = TelemetryAttributes()
        for keyValue in try list(value, what) {
            guard let key = keyValue["key"]?.string else { throw .json("\(what) holds an entry without a string key") }
            guard let attribute = anyValue(keyValue["value"]) else { continue }
            result[key] = attribute
        }
        return result
    }

    private static func anyValue(_ value: JSONValue?) -> TelemetryAttributeValue? {
        guard let value, case .object(let members) = value else { return nil }
        if let string = (members["stringValue"] ?? members["string_value"])?.string { return .string(string) }
        if case .bool(let bool) = members["boolValue"] ?? members["bool_value"] { return .bool(bool) }
        if let int = (members["intValue"] ?? members["int_value"])?.int64 { return .int(int) }
        if let double = (members["doubleValue"] ?? members["double_value"])?.double { return .double(double) }
        if let array = members["arrayValue"] ?? members["array_value"] {
            let values = (array["values"]?.array ?? []).compactMap { anyValue($0) }
            return .homogeneousArray(values)
        }
        if let bytes = (members["bytesValue"] ?? members["bytes_value"])?.string { return .string(bytes) }
        if let list = members["kvlistValue"] ?? members["kvlist_value"] {
            let pairs = (list["values"]?.array ?? []).compactMap { pair -> (String, TelemetryAttributeValue)? in
                guard let key = pair["key"]?.string, let value = anyValue(pair["value"]) else { return nil }
                return (key, value)
            }
            return .string("{" + pairs.map { JSONText.quoted($0.0) + ":" + $0.1.jsonFragment }.joined(separator: ",") + "}")
        }
        return nil
    }
}
