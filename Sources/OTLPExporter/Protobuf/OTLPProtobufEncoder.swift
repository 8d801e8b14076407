import TelemetryCore

/// Writes `ExportTraceServiceRequest` in protobuf wire format straight from span data,
/// with the field numbers of opentelemetry-proto 1.45.2 (see `proto/opentelemetry/`).
///
/// Hand-written rather than built through the generated messages: it allocates one buffer
/// instead of a message tree, which is what the export hot path needs. The generated types
/// (test-only `OTLPProtobufReference` target) decode, and the tests check both agree.
enum OTLPProtobufEncoder {
    static func encode(_ groups: [ResourceGroup]) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 64 + groups.reduce(0) { $0 + $1.spanCount } * 256)
        for group in groups {
            writer.message(1) { resourceSpans in
                resourceSpans.message(1) { resource in resource.attributes(1, group.resource.attributes) }
                for scopeGroup in group.scopes {
                    resourceSpans.message(2) { scopeSpans in
                        scopeSpans.message(1) { scope in
                            scope.string(1, scopeGroup.scope.name)
                            scope.string(2, scopeGroup.scope.version ?? "")
                        }
                        for span in scopeGroup.spans {
                            scopeSpans.message(2) { $0.span(span) }
                        }
                    }
                }
            }
        }
        return writer.bytes
    }
}

extension ProtobufWriter {
    mutating func span(_ span: TelemetrySpanData) {
        idBytes(1, span.traceID.high, span.traceID.low)
        idBytes(2, nil, span.spanID.rawValue)
        if !span.traceState.isEmpty { string(3, span.traceState.headerValue) }
        if let parent = span.parentSpanID { idBytes(4, nil, parent.rawValue) }
        string(5, span.name)
        varintField(6, UInt64(span.kind.otlpValue))
        fixed64(7, span.startTimeNanos)
        fixed64(8, span.endTimeNanos)
        attributes(9, span.attributes)
        varintField(10, UInt64(span.droppedAttributesCount))
        for event in span.events {
            message(11) { writer in
                writer.fixed64(1, event.timeNanos)
                writer.string(2, event.name)
                writer.attributes(3, event.attributes)
                writer.varintField(4, UInt64(event.droppedAttributesCount))
            }
        }
        varintField(12, UInt64(span.droppedEventsCount))
        for link in span.links {
            message(13) { writer in
                writer.idBytes(1, link.context.traceID.high, link.context.traceID.low)
                writer.idBytes(2, nil, link.context.spanID.rawValue)
                if !link.context.traceState.isEmpty { writer.string(3, link.context.traceState.headerValue) }
                writer.attributes(4, link.attributes)
                writer.varintField(5, UInt64(link.droppedAttributesCount))
                writer.fixed32(6, UInt32(link.context.traceFlags.rawValue))
            }
        }
        varintField(14, UInt64(span.droppedLinksCount))
        switch span.status {
        case .unset:
            break
        case .ok:
            message(15) { $0.varintField(3, 1) }
        case .error(let description):
            message(15) { status in
                status.string(2, description ?? "")
                status.varintField(3, 2)
            }
        }
        fixed32(16, UInt32(span.traceFlags.rawValue))
    }

    /// Repeated `KeyValue` under `field`.
    @inline(__always)
    mutating func attributes(_ field: UInt32, _ attributes: TelemetryAttributes) {
        for attribute in attributes {
            message(field) { keyValue in
                keyValue.string(1, attribute.key)
                keyValue.message(2) { $0.anyValue(attribute.value) }
            }
        }
    }

    /// The `AnyValue` oneof: its member is written even when it holds a zero value.
    mutating func anyValue(_ value: TelemetryAttributeValue) {
        switch value {
        case .string(let string): forceString(1, string)
        case .bool(let bool): varintField(2, bool ? 1 : 0, force: true)
        case .int(let int): varintField(3, UInt64(bitPattern: int), force: true)
        case .double(let double): fixed64(4, double.bitPattern, force: true)
        case .stringArray(let values): message(5) { array in for v in values { array.message(1) { $0.anyValue(.string(v)) } } }
        case .boolArray(let values): message(5) { array in for v in values { array.message(1) { $0.anyValue(.bool(v)) } } }
        case .intArray(let values): message(5) { array in for v in values { array.message(1) { $0.anyValue(.int(v)) } } }
        case .doubleArray(let values): message(5) { array in for v in values { array.message(1) { $0.anyValue(.double(v)) } } }
        }
    }
}
