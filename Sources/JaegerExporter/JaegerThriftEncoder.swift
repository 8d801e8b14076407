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
    public static func encode(_ spans: [TelemetrySpanData]) -> [UInt8] {
        encodeBatch(spans[...], resource: spans.first?.resource ?? TelemetryResource())
    }

    /// Encodes one `Batch` per distinct resource, in order of first appearance.
    public static func encodeBatches(_ spans: [TelemetrySpanData]) -> [[UInt8]] {
        encodeBatchesWithCounts(spans).map(\.bytes)
    }

    static func encodeBatchesWithCounts(_ spans: [TelemetrySpanData]) -> [(bytes: [UInt8], spanCount: Int)] {
        guard let first = spans.first else { return [] }
        if spans.allSatisfy({ $0.resource == first.resource }) {
            return [(encodeBatch(spans[...], resource: first.resource), spans.count)]
        }
        var order: [TelemetryResource] = []
        var groups: [TelemetryResource: [TelemetrySpanData]] = [:]
        for span in spans {
            if groups[span.resource] == nil { order.append(span.resource) }
            groups[span.resource, default: []].append(span)
        }
        return order.map { resource in
            let group = groups[resource]!
            return (encodeBatch(group[...], resource: resource), group.count)
        }
    }

    static func encodeBatch(_ spans: ArraySlice<TelemetrySpanData>, resource: TelemetryResource) -> [UInt8] {
        // Sized first, then written straight into the result: one allocation, no regrowth,
        // no copy. A batch of a few hundred spans is hundreds of kilobytes, and every extra
        // buffer of that size costs fresh pages from the kernel.
        let size = JaegerEncodedSize.batch(spans, resource: resource)
        var spilled: [UInt8]?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var writer = ThriftWriter(into: UnsafeMutableRawBufferPointer(buffer))
            writer.writeBatch(spans, resource: resource)
            if writer.isWritingIntoGivenBuffer {
                initialized = writer.count
            } else {
                spilled = writer.bytes
                initialized = 0
            }
        }
        return spilled ?? bytes
    }
}

extension ThriftWriter {
    mutating func writeBatch(_ spans: ArraySlice<TelemetrySpanData>, resource: TelemetryResource) {
        writeFieldHeader(.struct, id: JaegerSchema.Batch.process)
        writeProcess(resource)
        writeFieldHeader(.list, id: JaegerSchema.Batch.spans)
        writeListHeader(.struct, count: spans.count)
        // Borrow each span in place: iterating by value would retain and release every
        // string and array a span holds.
        spans.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in buffer.indices { writeSpan(base + index) }
        }
        writeStop()
    }

    mutating func writeProcess(_ resource: TelemetryResource) {
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

    mutating func writeSpan(_ span: UnsafePointer<TelemetrySpanData>) {
        // The four fixed-size id fields, under one capacity check.
        reserve(44)
        putFieldHeader(.i64, JaegerSchema.Span.traceIdLow)
        putI64(Int64(bitPattern: span.pointee.traceID.low))
        putFieldHeader(.i64, JaegerSchema.Span.traceIdHigh)
        putI64(Int64(bitPattern: span.pointee.traceID.high))
        putFieldHeader(.i64, JaegerSchema.Span.spanId)
        putI64(Int64(bitPattern: span.pointee.spanID.rawValue))
        putFieldHeader(.i64, JaegerSchema.Span.parentSpanId)
        putI64(Int64(bitPattern: span.pointee.parentSpanID?.rawValue ?? 0))
        writeString(span.pointee.name, id: JaegerSchema.Span.operationName)

        let referenceCount = span.pointee.links.count + (span.pointee.parentSpanID == nil ? 0 : 1)
        if referenceCount > 0 {
            writeFieldHeader(.list, id: JaegerSchema.Span.references)
            writeListHeader(.struct, count: referenceCount)
            if let parent = span.pointee.parentSpanID {
                writeReference(.childOf, traceID: span.pointee.traceID, spanID: parent)
            }
            for link in span.pointee.links {
                writeReference(.followsFrom, traceID: link.context.traceID, spanID: link.context.spanID)
            }
        }

        let startMicros = span.pointee.startTimeNanos / 1000
        // Truncate both ends to microseconds so start + duration lands on the truncated end.
        let endMicros = max(span.pointee.endTimeNanos / 1000, startMicros)
        reserve(7 + 11 + 11 + 3)
        putFieldHeader(.i32, JaegerSchema.Span.flags)
        putI32(span.pointee.traceFlags.contains(.sampled) ? JaegerSchema.sampledFlag : 0)
        putFieldHeader(.i64, JaegerSchema.Span.startTime)
        putI64(Int64(truncatingIfNeeded: startMicros))
        putFieldHeader(.i64, JaegerSchema.Span.duration)
        putI64(Int64(truncatingIfNeeded: endMicros - startMicros))
        putFieldHeader(.list, JaegerSchema.Span.tags)

        let countPosition = writeListHeaderToPatch(.struct)
        var tagCount: Int32 = 0
        span.pointee.attributes.elements.withUnsafeBufferPointer { attributes in
            for index in attributes.indices {
                writeTag(attributes[index].key, attributes[index].value)
            }
            tagCount = Int32(truncatingIfNeeded: attributes.count)
        }
        writeTag(JaegerSchema.Keys.spanKind, string: span.pointee.kind.rawValue)
        tagCount += 1
        switch span.pointee.status {
        case .unset:
            break
        case .ok:
            writeTag(JaegerSchema.Keys.statusCode, string: "OK")
            tagCount += 1
        case .error(let description):
            writeTag(JaegerSchema.Keys.statusCode, string: "ERROR")
            writeTag(JaegerSchema.Keys.error, bool: true)
            tagCount += 2
            if let description, !description.isEmpty {
                writeTag(JaegerSchema.Keys.statusDescription, string: description)
                tagCount += 1
            }
        }
        if !span.pointee.scope.name.isEmpty {
            writeTag(JaegerSchema.Keys.scopeName, string: span.pointee.scope.name)
            tagCount += 1
            if let version = span.pointee.scope.version, !version.isEmpty {
                writeTag(JaegerSchema.Keys.scopeVersion, string: version)
                tagCount += 1
            }
        }
        if !span.pointee.traceState.isEmpty {
            writeTraceStateTag(span.pointee.traceState)
            tagCount += 1
        }
        patchI32(tagCount, at: countPosition)

        if !span.pointee.events.isEmpty {
            writeFieldHeader(.list, id: JaegerSchema.Span.logs)
            writeListHeader(.struct, count: span.pointee.events.count)
            for event in span.pointee.events {
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
        reserve(7 + 3 * 11 + 1)
        putFieldHeader(.i32, JaegerSchema.SpanRef.refType)
        putI32(type.rawValue)
        putFieldHeader(.i64, JaegerSchema.SpanRef.traceIdLow)
        putI64(Int64(bitPattern: traceID.low))
        putFieldHeader(.i64, JaegerSchema.SpanRef.traceIdHigh)
        putI64(Int64(bitPattern: traceID.high))
        putFieldHeader(.i64, JaegerSchema.SpanRef.spanId)
        putI64(Int64(bitPattern: spanID.rawValue))
        put(ThriftType.stop.rawValue)
    }

    /// A `Tag`'s `key` and `vType` fields: the part every tag type shares.
    ///
    /// Reserves room for `valueBytes` more, so the caller writes the value field and the
    /// stop byte unchecked.
    @inline(__always)
    mutating func putTagHead(_ key: String, type: JaegerSchema.TagType, valueBytes: Int) {
        let utf8 = key.utf8
        let length = utf8.count
        reserve(7 &+ length &+ 7 &+ valueBytes)
        putFieldHeader(.string, JaegerSchema.Tag.key)
        putString(utf8, length: length)
        putFieldHeader(.i32, JaegerSchema.Tag.vType)
        putI32(type.rawValue)
    }

    @inline(__always)
    mutating func writeTag(_ key: String, string value: String) {
        let utf8 = value.utf8
        let length = utf8.count
        putTagHead(key, type: .string, valueBytes: 7 &+ length &+ 1)
        putFieldHeader(.string, JaegerSchema.Tag.vStr)
        putString(utf8, length: length)
        put(ThriftType.stop.rawValue)
    }

    @inline(__always)
    mutating func writeTag(_ key: String, bool value: Bool) {
        putTagHead(key, type: .bool, valueBytes: 4 + 1)
        putFieldHeader(.bool, JaegerSchema.Tag.vBool)
        put(value ? 1 : 0)
        put(ThriftType.stop.rawValue)
    }

    /// The `w3c.tracestate` tag, its value written entry by entry as `headerValue` reads.
    mutating func writeTraceStateTag(_ traceState: TraceState) {
        let length = JaegerEncodedSize.traceStateLength(traceState)
        putTagHead(JaegerSchema.Keys.traceState, type: .string, valueBytes: 7 &+ length &+ 1)
        putFieldHeader(.string, JaegerSchema.Tag.vStr)
        putI32(Int32(truncatingIfNeeded: length))
        for (index, entry) in traceState.entries.enumerated() {
            if index > 0 { put(UInt8(ascii: ",")) }
            putUTF8(entry.key.utf8, length: entry.key.utf8.count)
            put(UInt8(ascii: "="))
            putUTF8(entry.value.utf8, length: entry.value.utf8.count)
        }
        put(ThriftType.stop.rawValue)
    }

    mutating func writeTag(_ key: String, _ value: TelemetryAttributeValue) {
        switch value {
        case .string(let string):
            writeTag(key, string: string)
        case .bool(let bool):
            writeTag(key, bool: bool)
        case .int(let int):
            putTagHead(key, type: .long, valueBytes: 11 + 1)
            putFieldHeader(.i64, JaegerSchema.Tag.vLong)
            putI64(int)
            put(ThriftType.stop.rawValue)
        case .double(let double):
            putTagHead(key, type: .double, valueBytes: 11 + 1)
            putFieldHeader(.double, JaegerSchema.Tag.vDouble)
            putI64(Int64(bitPattern: double.bitPattern))
            put(ThriftType.stop.rawValue)
        case .stringArray, .boolArray, .intArray, .doubleArray:
            // Jaeger has no array tag type; its translator writes arrays as JSON text.
            writeTag(key, string: value.description)
        }
    }
}
