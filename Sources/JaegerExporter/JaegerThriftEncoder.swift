import TelemetryCore

/// Encodes spans as jaeger.thrift `Batch` structs in the thrift binary protocol, the body
/// Jaeger's collector accepts on `POST /api/traces`.
///
/// The mapping follows Jaeger's own OpenTelemetry translator: 128-bit trace IDs split into
/// `traceIdHigh`/`traceIdLow`, microsecond times, the parent and links as `CHILD_OF` and
/// `FOLLOWS_FROM` references, attributes as typed tags (arrays as JSON strings), `span.kind`,
/// `otel.status_code`/`otel.status_description` and `error=true`, events as logs carrying an
/// `event` field, and resource attributes as `Process` tags.
public enum JaegerThriftEncoder {
    /// Encodes all spans into one `Batch` whose `Process` describes the first span's resource.
    ///
    /// Use it when the spans share one resource, as an SDK's do; `encodeBatches(_:)` splits
    /// mixed batches.
    public static func encode(_ spans: [SpanData]) -> [UInt8] {
        encodeBatch(spans[...], resource: spans.first?.resource ?? Resource())
    }

    /// Encodes one `Batch` per distinct resource, in order of first appearance.
    public static func encodeBatches(_ spans: [SpanData]) -> [[UInt8]] {
        encodeBatchesWithCounts(spans).map(\.bytes)
    }

    static func encodeBatchesWithCounts(_ spans: [SpanData]) -> [(bytes: [UInt8], spanCount: Int)] {
        guard let first = spans.first else { return [] }
        if spans.allSatisfy({ $0.resource == first.resource }) {
            return [(encodeBatch(spans[...], resource: first.resource), spans.count)]
        }
        var order: [Resource] = []
        var groups: [Resource: [SpanData]] = [:]
        for span in spans {
            if groups[span.resource] == nil { order.append(span.resource) }
            groups[span.resource, default: []].append(span)
        }
        return order.map { resource in
            let group = groups[resource]!
            return (encodeBatch(group[...], resource: resource), group.count)
        }
    }

    static func encodeBatch(_ spans: ArraySlice<SpanData>, resource: Resource) -> [UInt8] {
        // Most spans encode to a few hundred bytes; one reservation avoids regrowth.
        var writer = ThriftWriter(capacity: 64 + spans.count * 320)
        writer.writeFieldHeader(.struct, id: JaegerSchema.Batch.process)
        writer.writeProcess(resource)
        writer.writeFieldHeader(.list, id: JaegerSchema.Batch.spans)
        writer.writeListHeader(.struct, count: spans.count)
        for span in spans { writer.writeSpan(span) }
        writer.writeStop()
        return writer.bytes
    }
}

extension ThriftWriter {
    mutating func writeProcess(_ resource: Resource) {
        writeString(resource.serviceName, id: JaegerSchema.Process.serviceName)
        let count = resource.attributes.count { $0.key != JaegerSchema.Keys.serviceName }
        if count > 0 {
            writeFieldHeader(.list, id: JaegerSchema.Process.tags)
            writeListHeader(.struct, count: count)
            for attribute in resource.attributes where attribute.key != JaegerSchema.Keys.serviceName {
                writeTag(attribute.key, attribute.value)
            }
        }
        writeStop()
    }

    mutating func writeSpan(_ span: SpanData) {
        writeI64(Int64(bitPattern: span.traceID.low), id: JaegerSchema.Span.traceIdLow)
        writeI64(Int64(bitPattern: span.traceID.high), id: JaegerSchema.Span.traceIdHigh)
        writeI64(Int64(bitPattern: span.spanID.rawValue), id: JaegerSchema.Span.spanId)
        writeI64(Int64(bitPattern: span.parentSpanID?.rawValue ?? 0), id: JaegerSchema.Span.parentSpanId)
        writeString(span.name, id: JaegerSchema.Span.operationName)

        let referenceCount = span.links.count + (span.parentSpanID == nil ? 0 : 1)
        if referenceCount > 0 {
            writeFieldHeader(.list, id: JaegerSchema.Span.references)
            writeListHeader(.struct, count: referenceCount)
            if let parent = span.parentSpanID {
                writeReference(.childOf, traceID: span.traceID, spanID: parent)
            }
            for link in span.links {
                writeReference(.followsFrom, traceID: link.context.traceID, spanID: link.context.spanID)
            }
        }

        writeI32(span.traceFlags.contains(.sampled) ? JaegerSchema.sampledFlag : 0, id: JaegerSchema.Span.flags)
        let startMicros = span.startTimeNanos / 1000
        writeI64(Int64(truncatingIfNeeded: startMicros), id: JaegerSchema.Span.startTime)
        // Truncate both ends to microseconds so start + duration lands on the truncated end.
        let endMicros = max(span.endTimeNanos / 1000, startMicros)
        writeI64(Int64(truncatingIfNeeded: endMicros - startMicros), id: JaegerSchema.Span.duration)

        writeFieldHeader(.list, id: JaegerSchema.Span.tags)
        bytes.append(ThriftType.struct.rawValue)
        let countPosition = bytes.count
        writeI32Raw(0)
        var tagCount: Int32 = 0
        for attribute in span.attributes {
            writeTag(attribute.key, attribute.value)
            tagCount += 1
        }
        writeTag(JaegerSchema.Keys.spanKind, string: span.kind.rawValue)
        tagCount += 1
        switch span.status {
        case .unset:
            break
        case .ok:
            writeTag(JaegerSchema.Keys.statusCode, string: "OK")
            tagCount += 1
        case .error(let description):
            writeTag(JaegerSchema.Keys.statusCode, string: "ERROR")
            writeTag(JaegerSchema.Keys.error, .bool(true))
            tagCount += 2
            if let description, !description.isEmpty {
                writeTag(JaegerSchema.Keys.statusDescription, string: description)
                tagCount += 1
            }
        }
        if !span.scope.name.isEmpty {
            writeTag(JaegerSchema.Keys.scopeName, string: span.scope.name)
            tagCount += 1
            if let version = span.scope.version, !version.isEmpty {
                writeTag(JaegerSchema.Keys.scopeVersion, string: version)
                tagCount += 1
            }
        }
        if !span.traceState.isEmpty {
            writeTag(JaegerSchema.Keys.traceState, string: span.traceState.headerValue)
            tagCount += 1
        }
        patchI32(tagCount, at: countPosition)

        if !span.events.isEmpty {
            writeFieldHeader(.list, id: JaegerSchema.Span.logs)
            writeListHeader(.struct, count: span.events.count)
            for event in span.events {
                writeI64(Int64(truncatingIfNeeded: event.timeNanos / 1000), id: JaegerSchema.Log.timestamp)
                writeFieldHeader(.list, id: JaegerSchema.Log.fields)
                writeListHeader(.struct, count: event.attributes.count + 1)
                writeTag(JaegerSchema.Keys.event, string: event.name)
                for attribute in event.attributes { writeTag(attribute.key, attribute.value) }
                writeStop()
            }
        }
        writeStop()
    }

    mutating func writeReference(_ type: JaegerSchema.RefType, traceID: TraceID, spanID: SpanID) {
        writeI32(type.rawValue, id: JaegerSchema.SpanRef.refType)
        writeI64(Int64(bitPattern: traceID.low), id: JaegerSchema.SpanRef.traceIdLow)
        writeI64(Int64(bitPattern: traceID.high), id: JaegerSchema.SpanRef.traceIdHigh)
        writeI64(Int64(bitPattern: spanID.rawValue), id: JaegerSchema.SpanRef.spanId)
        writeStop()
    }

    @inline(__always)
    mutating func writeTag(_ key: String, string value: String) {
        writeString(key, id: JaegerSchema.Tag.key)
        writeI32(JaegerSchema.TagType.string.rawValue, id: JaegerSchema.Tag.vType)
        writeString(value, id: JaegerSchema.Tag.vStr)
        writeStop()
    }

    mutating func writeTag(_ key: String, _ value: AttributeValue) {
        switch value {
        case .string(let string):
            writeTag(key, string: string)
            return
        case .bool(let bool):
            writeString(key, id: JaegerSchema.Tag.key)
            writeI32(JaegerSchema.TagType.bool.rawValue, id: JaegerSchema.Tag.vType)
            writeBool(bool, id: JaegerSchema.Tag.vBool)
        case .int(let int):
            writeString(key, id: JaegerSchema.Tag.key)
            writeI32(JaegerSchema.TagType.long.rawValue, id: JaegerSchema.Tag.vType)
            writeI64(int, id: JaegerSchema.Tag.vLong)
        case .double(let double):
            writeString(key, id: JaegerSchema.Tag.key)
            writeI32(JaegerSchema.TagType.double.rawValue, id: JaegerSchema.Tag.vType)
            writeDouble(double, id: JaegerSchema.Tag.vDouble)
        case .stringArray, .boolArray, .intArray, .doubleArray:
            // Jaeger has no array tag type; its translator writes arrays as JSON text.
            writeTag(key, string: value.description)
            return
        }
        writeStop()
    }

    @inline(__always)
    mutating func patchI32(_ value: Int32, at position: Int) {
        let v = UInt32(bitPattern: value)
        bytes[position] = UInt8(truncatingIfNeeded: v >> 24)
        bytes[position + 1] = UInt8(truncatingIfNeeded: v >> 16)
        bytes[position + 2] = UInt8(truncatingIfNeeded: v >> 8)
        bytes[position + 3] = UInt8(truncatingIfNeeded: v)
    }
}
