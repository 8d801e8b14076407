import TelemetryCore

/// Decodes a jaeger.thrift `Batch` in the thrift binary protocol back into spans, the
/// inverse of `JaegerThriftEncoder`.
///
/// Malformed or truncated bodies throw `JaegerDecodingError`; every declared length is
/// checked against the bytes that remain, and unknown fields are skipped.
public enum JaegerThriftDecoder {
    /// Decodes one `Batch`: the `Process` becomes each span's resource.
    public static func decode(_ bytes: some Collection<UInt8>) throws(JaegerDecodingError) -> [TelemetrySpanData] {
        var reader = ThriftReader(Array(bytes))
        var resource: TelemetryResource?
        var rawSpans: [RawSpan]?
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (JaegerSchema.Batch.process, .struct):
                resource = try reader.readProcess()
            case (JaegerSchema.Batch.spans, .list):
                let header = try reader.readListHeader("Batch.spans")
                guard header.type == .struct else {
                    for _ in 0..<header.count { try reader.skip(header.type) }
                    rawSpans = []
                    continue
                }
                var spans: [RawSpan] = []
                spans.reserveCapacity(header.count)
                for _ in 0..<header.count { spans.append(try reader.readSpan()) }
                rawSpans = spans
            default:
                try reader.skip(field.type)
            }
        }
        guard reader.isAtEnd else { throw .trailingBytes(reader.remaining) }
        guard let resource else { throw .missingField("Batch.process") }
        guard let rawSpans else { throw .missingField("Batch.spans") }
        var spans: [TelemetrySpanData] = []
        spans.reserveCapacity(rawSpans.count)
        for (index, raw) in rawSpans.enumerated() {
            spans.append(try raw.spanData(resource: resource, index: index))
        }
        return spans
    }
}

/// A span's fields as read, before the OpenTelemetry tags are folded back into fields.
struct RawSpan {
    var traceIdLow: Int64 = 0
    var traceIdHigh: Int64 = 0
    var spanId: Int64 = 0
    var parentSpanId: Int64 = 0
    var operationName = ""
    var references: [(type: Int32, traceIdLow: Int64, traceIdHigh: Int64, spanId: Int64)] = []
    var flags: Int32 = 0
    var startTime: Int64 = 0
    var duration: Int64 = 0
    var tags = TelemetryAttributes()
    var logs: [TelemetrySpanEvent] = []

    func spanData(resource: TelemetryResource, index: Int) throws(JaegerDecodingError) -> TelemetrySpanData {
        let traceID = TraceID(high: UInt64(bitPattern: traceIdHigh), low: UInt64(bitPattern: traceIdLow))
        guard traceID.isValid else { throw .invalidIdentifier("trace ID", spanIndex: index) }
        guard spanId != 0 else { throw .invalidIdentifier("span ID", spanIndex: index) }

        var parent: SpanID? = parentSpanId == 0 ? nil : SpanID(UInt64(bitPattern: parentSpanId))
        var links: [TelemetrySpanLink] = []
        var parentReferenceSeen = false
        for reference in references {
            let refTrace = TraceID(high: UInt64(bitPattern: reference.traceIdHigh), low: UInt64(bitPattern: reference.traceIdLow))
            let refSpan = SpanID(UInt64(bitPattern: reference.spanId))
            // The parent travels both as `parentSpanId` and as a CHILD_OF reference; other
            // references are links.
            if !parentReferenceSeen, reference.type == JaegerSchema.RefType.childOf.rawValue, refTrace == traceID,
                parent == nil || parent == refSpan
            {
                parent = refSpan
                parentReferenceSeen = true
                continue
            }
            links.append(TelemetrySpanLink(context: SpanContext(traceID: refTrace, spanID: refSpan, traceFlags: .sampled)))
        }

        var attributes = tags
        var kind = TelemetrySpanKind.internal
        if let value = attributes[JaegerSchema.Keys.spanKind]?.stringValue, let parsed = TelemetrySpanKind(rawValue: value) {
            kind = parsed
            attributes[JaegerSchema.Keys.spanKind] = nil
        }
        var status = TelemetrySpanStatus.unset
        let description = attributes[JaegerSchema.Keys.statusDescription]?.stringValue
        switch attributes[JaegerSchema.Keys.statusCode]?.stringValue {
        case "OK":
            status = .ok
            attributes[JaegerSchema.Keys.statusCode] = nil
        case "ERROR":
            status = .error(description: description)
            attributes[JaegerSchema.Keys.statusCode] = nil
            attributes[JaegerSchema.Keys.statusDescription] = nil
            attributes[JaegerSchema.Keys.error] = nil
        default:
            // Jaeger clients that predate OpenTelemetry mark failures only with `error=true`.
            if attributes[JaegerSchema.Keys.error] == .bool(true) {
                status = .error(description: nil)
                attributes[JaegerSchema.Keys.error] = nil
            }
        }
        var scope = TelemetryInstrumentationScope(name: "")
        if let name = (attributes[JaegerSchema.Keys.scopeName] ?? attributes[JaegerSchema.Keys.libraryName])?.stringValue {
            scope.name = name
            scope.version = (attributes[JaegerSchema.Keys.scopeVersion] ?? attributes[JaegerSchema.Keys.libraryVersion])?.stringValue
            for key in [JaegerSchema.Keys.scopeName, JaegerSchema.Keys.scopeVersion, JaegerSchema.Keys.libraryName, JaegerSchema.Keys.libraryVersion] {
                attributes[key] = nil
            }
        }
        var traceState = TraceState()
        if let header = attributes[JaegerSchema.Keys.traceState]?.stringValue {
            traceState = TraceState(headerValue: header) ?? TraceState()
            attributes[JaegerSchema.Keys.traceState] = nil
        }

        let start = UInt64(clamping: startTime).multipliedReportingOverflow(by: 1000)
        let startNanos = start.overflow ? UInt64.max : start.partialValue
        let duration = UInt64(clamping: duration).multipliedReportingOverflow(by: 1000)
        let end = startNanos.addingReportingOverflow(duration.overflow ? UInt64.max : duration.partialValue)

        return TelemetrySpanData(
            traceID: traceID,
            spanID: SpanID(UInt64(bitPattern: spanId)),
            parentSpanID: parent,
            traceFlags: flags & JaegerSchema.sampledFlag != 0 ? .sampled : [],
            traceState: traceState,
            name: operationName,
            kind: kind,
            startTimeNanos: startNanos,
            endTimeNanos: end.overflow ? UInt64.max : end.partialValue,
            attributes: attributes,
            events: logs,
            links: links,
            status: status,
            resource: resource,
            scope: scope
        )
    }
}
