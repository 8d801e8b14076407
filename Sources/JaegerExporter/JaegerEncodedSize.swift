import TelemetryCore

/// The byte length of a jaeger.thrift `Batch` before it is written, mirroring
/// `ThriftWriter+Jaeger`, so the encoder can allocate the result once and write into it.
///
/// Each count is exact for the encoder as written; if the two ever disagreed, the writer
/// would move to storage of its own and the batch would still encode correctly, one copy
/// slower.
enum JaegerEncodedSize {
    static let fieldHeader = 3
    static let listHeader = 5
    static let i32Field = 7
    static let i64Field = 11
    /// `key` and `vType` fields of a `Tag`, without the key's bytes.
    static let tagHead = 7 + 7
    /// A `SpanRef`: refType, three ids, stop.
    static let reference = 7 + 3 * 11 + 1

    static func batch(_ spans: ArraySlice<TelemetrySpanData>, resource: TelemetryResource) -> Int {
        var total = fieldHeader + process(resource) + fieldHeader + listHeader + 1
        spans.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in buffer.indices { total &+= span(base + index) }
        }
        return total
    }

    static func process(_ resource: TelemetryResource) -> Int {
        var total = 7 + resource.serviceName.utf8.count + 1
        var tags = 0
        for attribute in resource.attributes where attribute.key != JaegerSchema.Keys.serviceName {
            tags &+= tag(attribute.key, attribute.value)
        }
        if tags > 0 { total &+= fieldHeader + listHeader + tags }
        return total
    }

    static func span(_ span: UnsafePointer<TelemetrySpanData>) -> Int {
        // Four id fields, operationName, flags, startTime, duration, tags list, stop.
        var total = 4 * i64Field + 7 + span.pointee.name.utf8.count + i32Field + 2 * i64Field + fieldHeader + listHeader + 1
        let references = span.pointee.links.count + (span.pointee.parentSpanID == nil ? 0 : 1)
        if references > 0 { total &+= fieldHeader + listHeader + references * reference }
        span.pointee.attributes.elements.withUnsafeBufferPointer { attributes in
            for index in attributes.indices { total &+= tag(attributes[index].key, attributes[index].value) }
        }
        total &+= stringTag(JaegerSchema.Keys.spanKind, span.pointee.kind.rawValue.utf8.count)
        switch span.pointee.status {
        case .unset:
            break
        case .ok:
            total &+= stringTag(JaegerSchema.Keys.statusCode, 2)
        case .error(let description):
            total &+= stringTag(JaegerSchema.Keys.statusCode, 5) + boolTag(JaegerSchema.Keys.error)
            if let description, !description.isEmpty {
                total &+= stringTag(JaegerSchema.Keys.statusDescription, description.utf8.count)
            }
        }
        if !span.pointee.scope.name.isEmpty {
            total &+= stringTag(JaegerSchema.Keys.scopeName, span.pointee.scope.name.utf8.count)
            if let version = span.pointee.scope.version, !version.isEmpty {
                total &+= stringTag(JaegerSchema.Keys.scopeVersion, version.utf8.count)
            }
        }
        if !span.pointee.traceState.isEmpty {
            total &+= stringTag(JaegerSchema.Keys.traceState, traceStateLength(span.pointee.traceState))
        }
        if !span.pointee.events.isEmpty {
            total &+= fieldHeader + listHeader
            for event in span.pointee.events {
                total &+= i64Field + fieldHeader + listHeader + stringTag(JaegerSchema.Keys.event, event.name.utf8.count) + 1
                for attribute in event.attributes { total &+= tag(attribute.key, attribute.value) }
            }
        }
        return total
    }

    /// The length of `key=value,key=value`, the `tracestate` header, without building it.
    static func traceStateLength(_ traceState: TraceState) -> Int {
        var length = max(0, traceState.entries.count - 1)
        for entry in traceState.entries { length &+= entry.key.utf8.count + 1 + entry.value.utf8.count }
        return length
    }

    @inline(__always)
    static func stringTag(_ key: String, _ valueLength: Int) -> Int {
        tagHead + key.utf8.count + 7 + valueLength + 1
    }

    @inline(__always)
    static func boolTag(_ key: String) -> Int {
        tagHead + key.utf8.count + 4 + 1
    }

    static func tag(_ key: String, _ value: TelemetryAttributeValue) -> Int {
        switch value {
        case .string(let string): stringTag(key, string.utf8.count)
        case .bool: boolTag(key)
        case .int, .double: tagHead + key.utf8.count + i64Field + 1
        case .stringArray, .boolArray, .intArray, .doubleArray: stringTag(key, value.description.utf8.count)
        }
    }
}
