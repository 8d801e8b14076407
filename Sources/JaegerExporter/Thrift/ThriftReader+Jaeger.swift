import TelemetryCore

extension ThriftReader {
    mutating func readProcess() throws(JaegerDecodingError) -> TelemetryResource {
        var serviceName: String?
        var tags = TelemetryAttributes()
        while let field = try readFieldHeader() {
            switch (field.id, field.type) {
            case (JaegerSchema.Process.serviceName, .string):
                serviceName = try readString("Process.serviceName")
            case (JaegerSchema.Process.tags, .list):
                tags = try readTags("Process.tags")
            default:
                try skip(field.type)
            }
        }
        var attributes = TelemetryAttributes()
        attributes.reserveCapacity(tags.count + 1)
        if let serviceName { attributes["service.name"] = .string(serviceName) }
        for tag in tags where tag.key != "service.name" { attributes.appendUnchecked(tag) }
        return TelemetryResource(attributes: attributes)
    }

    mutating func readSpan() throws(JaegerDecodingError) -> RawSpan {
        var span = RawSpan()
        while let field = try readFieldHeader() {
            switch (field.id, field.type) {
            case (JaegerSchema.Span.traceIdLow, .i64): span.traceIdLow = try readI64("Span.traceIdLow")
            case (JaegerSchema.Span.traceIdHigh, .i64): span.traceIdHigh = try readI64("Span.traceIdHigh")
            case (JaegerSchema.Span.spanId, .i64): span.spanId = try readI64("Span.spanId")
            case (JaegerSchema.Span.parentSpanId, .i64): span.parentSpanId = try readI64("Span.parentSpanId")
            case (JaegerSchema.Span.operationName, .string): span.operationName = try readString("Span.operationName")
            case (JaegerSchema.Span.references, .list): span.references = try readReferences()
            case (JaegerSchema.Span.flags, .i32): span.flags = try readI32("Span.flags")
            case (JaegerSchema.Span.startTime, .i64): span.startTime = try readI64("Span.startTime")
            case (JaegerSchema.Span.duration, .i64): span.duration = try readI64("Span.duration")
            case (JaegerSchema.Span.tags, .list): span.tags = try readTags("Span.tags")
            case (JaegerSchema.Span.logs, .list): span.logs = try readLogs()
            default: try skip(field.type)
            }
        }
        return span
    }

    /// Reads a `list<Tag>`; a list of another element type is skipped as empty.
    mutating func readTags(_ what: StaticString) throws(JaegerDecodingError) -> TelemetryAttributes {
        let header = try readListHeader(what)
        guard header.type == .struct else {
            for _ in 0..<header.count { try skip(header.type) }
            return TelemetryAttributes()
        }
        var tags = TelemetryAttributes()
        tags.reserveCapacity(header.count)
        for _ in 0..<header.count {
            if let tag = try readTag() { tags[tag.key] = tag.value }
        }
        return tags
    }

    /// Reads one `Tag`; `nil` when it has no key or no value of its declared type.
    mutating func readTag() throws(JaegerDecodingError) -> TelemetryAttribute? {
        var key: String?
        var type: Int32?
        var string: String?
        var double: Double?
        var bool: Bool?
        var long: Int64?
        var binary: ArraySlice<UInt8>?
        while let field = try readFieldHeader() {
            switch (field.id, field.type) {
            case (JaegerSchema.Tag.key, .string): key = try readString("Tag.key")
            case (JaegerSchema.Tag.vType, .i32): type = try readI32("Tag.vType")
            case (JaegerSchema.Tag.vStr, .string): string = try readString("Tag.vStr")
            case (JaegerSchema.Tag.vDouble, .double): double = try readDouble("Tag.vDouble")
            case (JaegerSchema.Tag.vBool, .bool): bool = try readBool("Tag.vBool")
            case (JaegerSchema.Tag.vLong, .i64): long = try readI64("Tag.vLong")
            case (JaegerSchema.Tag.vBinary, .string): binary = try readBinary("Tag.vBinary")
            default: try skip(field.type)
            }
        }
        guard let key, let type, let tagType = JaegerSchema.TagType(rawValue: type) else { return nil }
        let value: TelemetryAttributeValue? =
            switch tagType {
            case .string: string.map { .string($0) }
            case .double: double.map { .double($0) }
            case .bool: bool.map { .bool($0) }
            case .long: long.map { .int($0) }
            // OpenTelemetry has no bytes attribute; the translators carry binary tags as hex.
            case .binary: binary.map { .string($0.map { byte in String(byte, radix: 16).leftPadded() }.joined()) }
            }
        return value.map { TelemetryAttribute(key, $0) }
    }

    mutating func readReferences() throws(JaegerDecodingError) -> [(type: Int32, traceIdLow: Int64, traceIdHigh: Int64, spanId: Int64)] {
        let header = try readListHeader("Span.references")
        guard header.type == .struct else {
            for _ in 0..<header.count { try skip(header.type) }
            return []
        }
        var references: [(type: Int32, traceIdLow: Int64, traceIdHigh: Int64, spanId: Int64)] = []
        references.reserveCapacity(header.count)
        for _ in 0..<header.count {
            var reference: (type: Int32, traceIdLow: Int64, traceIdHigh: Int64, spanId: Int64) = (0, 0, 0, 0)
            while let field = try readFieldHeader() {
                switch (field.id, field.type) {
                case (JaegerSchema.SpanRef.refType, .i32): reference.type = try readI32("SpanRef.refType")
                case (JaegerSchema.SpanRef.traceIdLow, .i64): reference.traceIdLow = try readI64("SpanRef.traceIdLow")
                case (JaegerSchema.SpanRef.traceIdHigh, .i64): reference.traceIdHigh = try readI64("SpanRef.traceIdHigh")
                case (JaegerSchema.SpanRef.spanId, .i64): reference.spanId = try readI64("SpanRef.spanId")
                default: try skip(field.type)
                }
            }
            references.append(reference)
        }
        return references
    }

    /// Reads a `list<Log>` as events: the `event` field names the event, the rest are its attributes.
    mutating func readLogs() throws(JaegerDecodingError) -> [TelemetrySpanEvent] {
        let header = try readListHeader("Span.logs")
        guard header.type == .struct else {
            for _ in 0..<header.count { try skip(header.type) }
            return []
        }
        var events: [TelemetrySpanEvent] = []
        events.reserveCapacity(header.count)
        for _ in 0..<header.count {
            var timestamp: Int64 = 0
            var fields = TelemetryAttributes()
            while let field = try readFieldHeader() {
                switch (field.id, field.type) {
                case (JaegerSchema.Log.timestamp, .i64): timestamp = try readI64("Log.timestamp")
                case (JaegerSchema.Log.fields, .list): fields = try readTags("Log.fields")
                default: try skip(field.type)
                }
            }
            let name = fields[JaegerSchema.Keys.event]?.stringValue ?? "log"
            fields[JaegerSchema.Keys.event] = nil
            let nanos = UInt64(clamping: timestamp).multipliedReportingOverflow(by: 1000)
            events.append(TelemetrySpanEvent(name: name, timeNanos: nanos.overflow ? UInt64.max : nanos.partialValue, attributes: fields))
        }
        return events
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
