import TelemetryCore

/// Reads `ExportTraceServiceRequest` in protobuf wire format straight into span data, with
/// the field numbers of opentelemetry-proto 1.45.2 (see `proto/opentelemetry/`).
///
/// Hand-written rather than decoding into the generated messages and mapping those: the
/// receiver's hot path then allocates only what the spans keep. It gives the same spans,
/// rejections and errors as the generated path (`OTLPProtobufMapping.decode`, in the test-only
/// `OTLPProtobufReference` target), which the
/// tests check on a corpus of requests, their truncations and corruptions: fields are
/// merged as protobuf merges them, unknown fields and fields of an unexpected wire type are
/// skipped, and every string is checked for UTF-8.
enum OTLPProtobufDecoder {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        var strings = ProtobufStringTable()
        let outcome = withUnsafeMutablePointer(to: &strings) { strings in
            Result { () throws(ProtobufReadError) in try request(ProtobufReader(bytes, strings: strings)) }
        }
        switch outcome {
        case .success(let traces): return traces
        case .failure(let error): throw .protobuf("\(error)")
        }
    }

    private static func request(_ reader: ProtobufReader) throws(ProtobufReadError) -> OTLPDecodedTraces {
        var reader = reader
        var result = OTLPDecodedTraces()
        while let field = try reader.nextField() {
            if field.number == 1, field.wireType == ProtobufReader.WireType.lengthDelimited {
                try resourceSpans(reader.message(), into: &result)
            } else {
                try reader.skip(field.wireType, number: field.number)
            }
        }
        return result
    }

    /// `ResourceSpans`: the resource may follow its spans on the wire, so the scope spans
    /// are located first and read once the resource is known.
    private static func resourceSpans(_ reader: ProtobufReader, into result: inout OTLPDecodedTraces) throws(ProtobufReadError) {
        var scan = reader
        var attributes = TelemetryAttributes()
        var scopes: [Range<Int>] = []
        while let field = try scan.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): try resource(scan.message(), into: &attributes)
            case (2, ProtobufReader.WireType.lengthDelimited): scopes.append(try scan.lengthDelimited())
            case (3, ProtobufReader.WireType.lengthDelimited): try scan.skipString()
            default: try scan.skip(field.wireType, number: field.number)
            }
        }
        let resource = TelemetryResource(attributes: attributes)
        for range in scopes { try scopeSpans(reader.nested(range), resource: resource, into: &result) }
    }

    private static func resource(_ reader: ProtobufReader, into attributes: inout TelemetryAttributes) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): try keyValue(reader.message(), into: &attributes)
            case (2, ProtobufReader.WireType.varint): _ = try reader.varint()
            case (3, ProtobufReader.WireType.lengthDelimited): try entityRef(reader.message())
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    /// `EntityRef`: not kept, but its strings are checked as the generated decoder checks them.
    private static func entityRef(_ reader: ProtobufReader) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            if (1...4).contains(field.number), field.wireType == ProtobufReader.WireType.lengthDelimited {
                try reader.skipString()
            } else {
                try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    private static func scopeSpans(_ reader: ProtobufReader, resource: TelemetryResource, into result: inout OTLPDecodedTraces) throws(ProtobufReadError) {
        var scan = reader
        var name = ""
        var version = ""
        var spans: [Range<Int>] = []
        while let field = try scan.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): try scope(scan.message(), name: &name, version: &version)
            case (2, ProtobufReader.WireType.lengthDelimited): spans.append(try scan.lengthDelimited())
            case (3, ProtobufReader.WireType.lengthDelimited): try scan.skipString()
            default: try scan.skip(field.wireType, number: field.number)
            }
        }
        let scope = TelemetryInstrumentationScope(name: name, version: version.isEmpty ? nil : version)
        let needed = result.spans.count + spans.count
        if result.spans.capacity < needed { result.spans.reserveCapacity(max(needed, result.spans.capacity * 2)) }
        for range in spans { try span(reader.nested(range), resource: resource, scope: scope, into: &result) }
    }

    private static func scope(_ reader: ProtobufReader, name: inout String, version: inout String) throws(ProtobufReadError) {
        var reader = reader
        var ignored = TelemetryAttributes()
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): name = try reader.string()
            case (2, ProtobufReader.WireType.lengthDelimited): version = try reader.string()
            case (3, ProtobufReader.WireType.lengthDelimited): try keyValue(reader.message(), into: &ignored)
            case (4, ProtobufReader.WireType.varint): _ = try reader.varint()
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    /// One `Span`; a span with unusable IDs is counted as rejected, as the generated path does.
    private static func span(
        _ reader: ProtobufReader, resource: TelemetryResource, scope: TelemetryInstrumentationScope, into result: inout OTLPDecodedTraces
    ) throws(ProtobufReadError) {
        var reader = reader
        var traceID: Range<Int> = 0..<0
        var spanID: Range<Int> = 0..<0
        var parentSpanID: Range<Int> = 0..<0
        var traceState = ""
        var name = ""
        var kind = 0
        var start: UInt64 = 0
        var end: UInt64 = 0
        var attributes = TelemetryAttributes()
        var droppedAttributes: UInt32 = 0
        var events: [TelemetrySpanEvent] = []
        var droppedEvents: UInt32 = 0
        var links: [TelemetrySpanLink] = []
        var droppedLinks: UInt32 = 0
        var statusMessage = ""
        var statusCode = 0
        var flags: UInt32 = 0
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): traceID = try reader.lengthDelimited()
            case (2, ProtobufReader.WireType.lengthDelimited): spanID = try reader.lengthDelimited()
            case (3, ProtobufReader.WireType.lengthDelimited): traceState = try reader.string()
            case (4, ProtobufReader.WireType.lengthDelimited): parentSpanID = try reader.lengthDelimited()
            case (5, ProtobufReader.WireType.lengthDelimited): name = try reader.string()
            case (6, ProtobufReader.WireType.varint): kind = Int(Int32(truncatingIfNeeded: try reader.varint()))
            case (7, ProtobufReader.WireType.fixed64): start = try reader.fixed64()
            case (8, ProtobufReader.WireType.fixed64): end = try reader.fixed64()
            case (9, ProtobufReader.WireType.lengthDelimited): try keyValue(reader.message(), into: &attributes)
            case (10, ProtobufReader.WireType.varint): droppedAttributes = UInt32(truncatingIfNeeded: try reader.varint())
            case (11, ProtobufReader.WireType.lengthDelimited): events.append(try event(reader.message()))
            case (12, ProtobufReader.WireType.varint): droppedEvents = UInt32(truncatingIfNeeded: try reader.varint())
            case (13, ProtobufReader.WireType.lengthDelimited): if let link = try link(reader.message()) { links.append(link) }
            case (14, ProtobufReader.WireType.varint): droppedLinks = UInt32(truncatingIfNeeded: try reader.varint())
            case (15, ProtobufReader.WireType.lengthDelimited): try status(reader.message(), message: &statusMessage, code: &statusCode)
            case (16, ProtobufReader.WireType.fixed32): flags = try reader.fixed32()
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
        guard let trace = traceIDValue(reader.bytes, traceID), trace.isValid else {
            result.reject("span \(name.debugDescription) has an invalid trace ID of \(traceID.count) bytes")
            return
        }
        guard let id = spanIDValue(reader.bytes, spanID), id.isValid else {
            result.reject("span \(name.debugDescription) has an invalid span ID of \(spanID.count) bytes")
            return
        }
        var parent: SpanID?
        if !parentSpanID.isEmpty {
            guard let parsed = spanIDValue(reader.bytes, parentSpanID) else {
                result.reject("span \(name.debugDescription) has an invalid parent span ID of \(parentSpanID.count) bytes")
                return
            }
            parent = parsed.isValid ? parsed : nil
        }
        let spanStatus: TelemetrySpanStatus =
            switch statusCode {
            case 1: .ok
            case 2: .error(description: statusMessage.isEmpty ? nil : statusMessage)
            default: .unset
            }
        result.spans.append(
            TelemetrySpanData(
                traceID: trace,
                spanID: id,
                parentSpanID: parent,
                traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags)),
                traceState: traceState.isEmpty ? TraceState() : TraceState(headerValue: traceState) ?? TraceState(),
                name: name,
                kind: TelemetrySpanKind(otlpValue: kind) ?? .internal,
                startTimeNanos: start,
                endTimeNanos: end,
                attributes: attributes,
                events: events,
                links: links,
                status: spanStatus,
                resource: resource,
                scope: scope,
                droppedAttributesCount: droppedAttributes,
                droppedEventsCount: droppedEvents,
                droppedLinksCount: droppedLinks
            ))
    }

    private static func event(_ reader: ProtobufReader) throws(ProtobufReadError) -> TelemetrySpanEvent {
        var reader = reader
        var event = TelemetrySpanEvent(name: "", timeNanos: 0)
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.fixed64): event.timeNanos = try reader.fixed64()
            case (2, ProtobufReader.WireType.lengthDelimited): event.name = try reader.string()
            case (3, ProtobufReader.WireType.lengthDelimited): try keyValue(reader.message(), into: &event.attributes)
            case (4, ProtobufReader.WireType.varint): event.droppedAttributesCount = UInt32(truncatingIfNeeded: try reader.varint())
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
        return event
    }

    /// A `Link`; `nil` when its IDs have the wrong length, which the generated path skips too.
    private static func link(_ reader: ProtobufReader) throws(ProtobufReadError) -> TelemetrySpanLink? {
        var reader = reader
        var traceID: Range<Int> = 0..<0
        var spanID: Range<Int> = 0..<0
        var traceState = ""
        var attributes = TelemetryAttributes()
        var dropped: UInt32 = 0
        var flags: UInt32 = 0
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): traceID = try reader.lengthDelimited()
            case (2, ProtobufReader.WireType.lengthDelimited): spanID = try reader.lengthDelimited()
            case (3, ProtobufReader.WireType.lengthDelimited): traceState = try reader.string()
            case (4, ProtobufReader.WireType.lengthDelimited): try keyValue(reader.message(), into: &attributes)
            case (5, ProtobufReader.WireType.varint): dropped = UInt32(truncatingIfNeeded: try reader.varint())
            case (6, ProtobufReader.WireType.fixed32): flags = try reader.fixed32()
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
        guard let trace = traceIDValue(reader.bytes, traceID), let id = spanIDValue(reader.bytes, spanID) else { return nil }
        return TelemetrySpanLink(
            context: SpanContext(
                traceID: trace, spanID: id, traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: flags)),
                traceState: TraceState(headerValue: traceState) ?? TraceState()),
            attributes: attributes,
            droppedAttributesCount: dropped)
    }

    private static func status(_ reader: ProtobufReader, message: inout String, code: inout Int) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (2, ProtobufReader.WireType.lengthDelimited): message = try reader.string()
            case (3, ProtobufReader.WireType.varint): code = Int(Int32(truncatingIfNeeded: try reader.varint()))
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    @inline(__always)
    private static func traceIDValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> TraceID? {
        guard range.count == 16 else { return nil }
        let raw = UnsafeRawPointer(bytes.baseAddress! + range.lowerBound)
        return TraceID(
            high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
            low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    @inline(__always)
    private static func spanIDValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> SpanID? {
        guard range.count == 8 else { return nil }
        return SpanID(UInt64(bigEndian: UnsafeRawPointer(bytes.baseAddress! + range.lowerBound).loadUnaligned(as: UInt64.self)))
    }
}
