import TelemetryCore

/// Writes `ExportTraceServiceRequest` as OTLP/JSON: the protobuf JSON mapping with
/// lowerCamelCase keys, enums as integers, 64-bit integers as strings, and trace and span
/// IDs as lowercase hex rather than base64.
enum OTLPJSONEncoder {
    static func encode(_ groups: [ResourceGroup]) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + groups.reduce(0) { $0 + $1.spanCount } * 400)
        writer.beginObject()
        writer.key("resourceSpans")
        writer.beginArray()
        for group in groups {
            writer.beginObject()
            writer.key("resource")
            writer.beginObject()
            writer.writeAttributes(group.resource.attributes)
            writer.endObject()
            writer.key("scopeSpans")
            writer.beginArray()
            for scopeGroup in group.scopes {
                writer.beginObject()
                writer.key("scope")
                writer.beginObject()
                if !scopeGroup.scope.name.isEmpty {
                    writer.key("name")
                    writer.string(scopeGroup.scope.name)
                }
                if let version = scopeGroup.scope.version, !version.isEmpty {
                    writer.key("version")
                    writer.string(version)
                }
                writer.endObject()
                writer.key("spans")
                writer.beginArray()
                for span in scopeGroup.spans { writer.writeSpan(span) }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}

extension JSONWriter {
    mutating func writeSpan(_ span: TelemetrySpanData) {
        beginObject()
        key("traceId")
        plainString(span.traceID.hexString)
        key("spanId")
        plainString(span.spanID.hexString)
        if !span.traceState.isEmpty {
            key("traceState")
            string(span.traceState.headerValue)
        }
        if let parent = span.parentSpanID {
            key("parentSpanId")
            plainString(parent.hexString)
        }
        if span.traceFlags.rawValue != 0 {
            key("flags")
            raw(String(span.traceFlags.rawValue))
        }
        key("name")
        string(span.name)
        key("kind")
        raw(String(span.kind.otlpValue))
        key("startTimeUnixNano")
        plainString(String(span.startTimeNanos))
        key("endTimeUnixNano")
        plainString(String(span.endTimeNanos))
        writeAttributes(span.attributes)
        writeDropped("droppedAttributesCount", span.droppedAttributesCount)
        if !span.events.isEmpty {
            key("events")
            beginArray()
            for event in span.events {
                beginObject()
                key("timeUnixNano")
                plainString(String(event.timeNanos))
                key("name")
                string(event.name)
                writeAttributes(event.attributes)
                writeDropped("droppedAttributesCount", event.droppedAttributesCount)
                endObject()
            }
            endArray()
        }
        writeDropped("droppedEventsCount", span.droppedEventsCount)
        if !span.links.isEmpty {
            key("links")
            beginArray()
            for link in span.links {
                beginObject()
                key("traceId")
                plainString(link.context.traceID.hexString)
                key("spanId")
                plainString(link.context.spanID.hexString)
                if !link.context.traceState.isEmpty {
                    key("traceState")
                    string(link.context.traceState.headerValue)
                }
                writeAttributes(link.attributes)
                writeDropped("droppedAttributesCount", link.droppedAttributesCount)
                if link.context.traceFlags.rawValue != 0 {
                    key("flags")
                    raw(String(link.context.traceFlags.rawValue))
                }
                endObject()
            }
            endArray()
        }
        writeDropped("droppedLinksCount", span.droppedLinksCount)
        key("status")
        beginObject()
        switch span.status {
        case .unset:
            break
        case .ok:
            key("code")
            raw("1")
        case .error(let description):
            if let description, !description.isEmpty {
                key("message")
                string(description)
            }
            key("code")
            raw("2")
        }
        endObject()
        endObject()
    }

    mutating func writeDropped(_ name: StaticString, _ count: UInt32) {
        guard count > 0 else { return }
        key(name)
        raw(String(count))
    }

    mutating func writeAttributes(_ attributes: TelemetryAttributes) {
        guard !attributes.isEmpty else { return }
        key("attributes")
        beginArray()
        for attribute in attributes {
            beginObject()
            key("key")
            string(attribute.key)
            key("value")
            writeAnyValue(attribute.value)
            endObject()
        }
        endArray()
    }

    mutating func writeAnyValue(_ value: TelemetryAttributeValue) {
        beginObject()
        switch value {
        case .string(let string):
            key("stringValue")
            self.string(string)
        case .bool(let bool):
            key("boolValue")
            self.bool(bool)
        case .int(let int):
            key("intValue")
            plainString(String(int))
        case .double(let double):
            key("doubleValue")
            self.double(double)
        case .stringArray(let values):
            writeArrayValue(values) { $0.writeAnyValue(.string($1)) }
        case .boolArray(let values):
            writeArrayValue(values) { $0.writeAnyValue(.bool($1)) }
        case .intArray(let values):
            writeArrayValue(values) { $0.writeAnyValue(.int($1)) }
        case .doubleArray(let values):
            writeArrayValue(values) { $0.writeAnyValue(.double($1)) }
        }
        endObject()
    }

    private mutating func writeArrayValue<T>(_ values: [T], _ element: (inout JSONWriter, T) -> Void) {
        key("arrayValue")
        beginObject()
        key("values")
        beginArray()
        for value in values { element(&self, value) }
        endArray()
        endObject()
    }
}

extension TelemetrySpanKind {
    /// The OTLP `Span.SpanKind` number.
    package var otlpValue: Int {
        switch self {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    package init?(otlpValue: Int) {
        switch otlpValue {
        case 0, 1: self = .internal
        case 2: self = .server
        case 3: self = .client
        case 4: self = .producer
        case 5: self = .consumer
        default: return nil
        }
    }
}
