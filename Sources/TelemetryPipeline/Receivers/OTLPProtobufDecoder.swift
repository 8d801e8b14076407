import TelemetryCore

/// Decodes an OTLP `ExportTraceServiceRequest` (protobuf) into spans. Spans without a valid
/// trace or span ID are counted as rejected (OTLP partial success) rather than failing the
/// request; a body that is not a well-formed message fails it.
enum OTLPProtobufDecoder {
    typealias Reader = ProtobufReader
    typealias Malformed = ProtobufReader.Malformed

    static func decode(_ bytes: [UInt8]) throws -> DecodedTraces {
        var spans: [SpanData] = []
        var rejected = 0
        var reader = Reader(bytes[...])
        while case let (field, value)? = try reader.next() {
            guard field == 1 else { continue }
            guard let resourceSpans = value.slice else { throw Malformed("resource_spans is not a message") }
            try resourceSpansMessage(resourceSpans, into: &spans, rejected: &rejected)
        }
        return DecodedTraces(spans: spans, rejected: rejected, message: rejected > 0 ? "\(rejected) spans had an invalid trace or span ID" : nil)
    }

    private static func resourceSpansMessage(_ bytes: ArraySlice<UInt8>, into spans: inout [SpanData], rejected: inout Int) throws {
        var resource = Resource()
        var scopes: [ArraySlice<UInt8>] = []
        var reader = Reader(bytes)
        while case let (field, value)? = try reader.next() {
            switch field {
            case 1:
                var inner = Reader(value.slice ?? [])
                while case let (f, v)? = try inner.next() {
                    guard f == 1 else { continue }
                    if let attribute = try keyValue(v.slice ?? []) { resource.attributes[attribute.key] = attribute.value }
                }
            case 2: if let slice = value.slice { scopes.append(slice) }
            default: continue
            }
        }
        for scopeSpans in scopes {
            var scope = InstrumentationScope(name: "")
            var reader = Reader(scopeSpans)
            var spanMessages: [ArraySlice<UInt8>] = []
            while case let (field, value)? = try reader.next() {
                if field == 1 {
                    var inner = Reader(value.slice ?? [])
                    while case let (f, v)? = try inner.next() {
                        if f == 1 { scope.name = v.string ?? "" }
                        if f == 2 { scope.version = v.string }
                    }
                } else if field == 2, let slice = value.slice {
                    spanMessages.append(slice)
                }
            }
            for message in spanMessages {
                if let span = try span(message, resource: resource, scope: scope) { spans.append(span) } else { rejected += 1 }
            }
        }
    }

    private static func span(_ bytes: ArraySlice<UInt8>, resource: Resource, scope: InstrumentationScope) throws -> SpanData? {
        var traceID: TraceID?
        var spanID: SpanID?
        var parent: SpanID?
        var state = TraceState()
        var name = ""
        var kind = SpanKind.internal
        var start: UInt64 = 0
        var end: UInt64 = 0
        var attributes = Attributes()
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var status = SpanStatus.unset
        var flags = TraceFlags.sampled
        var dropped: (UInt32, UInt32, UInt32) = (0, 0, 0)
        var reader = Reader(bytes)
        while case let (field, value)? = try reader.next() {
            switch field {
            case 1: traceID = value.slice.flatMap { TraceID(bytes: $0) }
            case 2: spanID = value.slice.flatMap { SpanID(bytes: $0) }
            case 3: state = value.string.flatMap { TraceState(headerValue: $0) } ?? TraceState()
            case 4: if let slice = value.slice, !slice.isEmpty { parent = SpanID(bytes: slice) }
            case 5: name = value.string ?? ""
            case 6: kind = [SpanKind.internal, .internal, .server, .client, .producer, .consumer][Int(min(value.integer ?? 0, 5))]
            case 7: start = value.integer ?? 0
            case 8: end = value.integer ?? 0
            case 9: if let attribute = try keyValue(value.slice ?? []) { attributes[attribute.key] = attribute.value }
            case 10: dropped.0 = UInt32(truncatingIfNeeded: value.integer ?? 0)
            case 11: events.append(try event(value.slice ?? []))
            case 12: dropped.1 = UInt32(truncatingIfNeeded: value.integer ?? 0)
            case 13: if let link = try link(value.slice ?? []) { links.append(link) }
            case 14: dropped.2 = UInt32(truncatingIfNeeded: value.integer ?? 0)
            case 15: status = try statusMessage(value.slice ?? [])
            case 16: flags = TraceFlags(rawValue: UInt8(truncatingIfNeeded: value.integer ?? 1))
            default: continue
            }
        }
        guard let traceID, traceID.isValid, let spanID, spanID.isValid else { return nil }
        if flags.rawValue == 0 { flags = .sampled }
        return SpanData(
            traceID: traceID, spanID: spanID, parentSpanID: parent?.isValid == true ? parent : nil, traceFlags: flags,
            traceState: state, name: name, kind: kind, startTimeNanos: start, endTimeNanos: max(start, end), attributes: attributes,
            events: events, links: links, status: status, resource: resource, scope: scope, droppedAttributesCount: dropped.0,
            droppedEventsCount: dropped.1, droppedLinksCount: dropped.2)
    }

    private static func statusMessage(_ bytes: ArraySlice<UInt8>) throws -> SpanStatus {
        var message: String?
        var code: UInt64 = 0
        var reader = Reader(bytes)
        while case let (field, value)? = try reader.next() {
            if field == 2 { message = value.string }
            if field == 3 { code = value.integer ?? 0 }
        }
        switch code {
        case 1: return .ok
        case 2: return .error(description: message?.isEmpty == false ? message : nil)
        default: return .unset
        }
    }

    private static func event(_ bytes: ArraySlice<UInt8>) throws -> SpanEvent {
        var event = SpanEvent(name: "", timeNanos: 0)
        var reader = Reader(bytes)
        while case let (field, value)? = try reader.next() {
            switch field {
            case 1: event.timeNanos = value.integer ?? 0
            case 2: event.name = value.string ?? ""
            case 3: if let attribute = try keyValue(value.slice ?? []) { event.attributes[attribute.key] = attribute.value }
            case 4: event.droppedAttributesCount = UInt32(truncatingIfNeeded: value.integer ?? 0)
            default: continue
            }
        }
        return event
    }

    private static func link(_ bytes: ArraySlice<UInt8>) throws -> SpanLink? {
        var traceID: TraceID?
        var spanID: SpanID?
        var state = TraceState()
        var attributes = Attributes()
        var reader = Reader(bytes)
        while case let (field, value)? = try reader.next() {
            switch field {
            case 1: traceID = value.slice.flatMap { TraceID(bytes: $0) }
            case 2: spanID = value.slice.flatMap { SpanID(bytes: $0) }
            case 3: state = value.string.flatMap { TraceState(headerValue: $0) } ?? TraceState()
            case 4: if let attribute = try keyValue(value.slice ?? []) { attributes[attribute.key] = attribute.value }
            default: continue
            }
        }
        guard let traceID, let spanID else { return nil }
        return SpanLink(context: SpanContext(traceID: traceID, spanID: spanID, traceState: state, isRemote: true), attributes: attributes)
    }

    private static func keyValue(_ bytes: ArraySlice<UInt8>) throws -> Attribute? {
        var key: String?
        var value: AttributeValue?
        var reader = Reader(bytes)
        while case let (field, raw)? = try reader.next() {
            if field == 1 { key = raw.string }
            if field == 2 { value = try anyValue(raw.slice ?? []) }
        }
        guard let key, let value else { return nil }
        return Attribute(key, value)
    }

    private static func anyValue(_ bytes: ArraySlice<UInt8>) throws -> AttributeValue? {
        var reader = Reader(bytes)
        var result: AttributeValue?
        while case let (field, value)? = try reader.next() {
            switch field {
            case 1: result = value.string.map(AttributeValue.string)
            case 2: result = .bool((value.integer ?? 0) != 0)
            case 3: result = .int(Int64(bitPattern: value.integer ?? 0))
            case 4: result = .double(Double(bitPattern: value.integer ?? 0))
            case 5:
                var items: [AttributeValue] = []
                var inner = Reader(value.slice ?? [])
                while case let (f, v)? = try inner.next() {
                    guard f == 1 else { continue }
                    if let item = try anyValue(v.slice ?? []) { items.append(item) }
                }
                result = homogeneous(items)
            case 7: result = .string(value.slice.map { Hex.encode(bytes: $0) } ?? "")
            default: continue
            }
        }
        return result
    }

    /// OTLP arrays may mix types; ours may not, so a mixed array becomes strings.
    static func homogeneous(_ items: [AttributeValue]) -> AttributeValue {
        if items.allSatisfy({ if case .int = $0 { true } else { false } }) { return .intArray(items.compactMap(\.intValue)) }
        if items.allSatisfy({ if case .bool = $0 { true } else { false } }) {
            return .boolArray(items.map { if case .bool(let b) = $0 { b } else { false } })
        }
        if items.allSatisfy({ if case .double = $0 { true } else { false } }) {
            return .doubleArray(items.map { if case .double(let d) = $0 { d } else { 0 } })
        }
        return .stringArray(items.map(\.description))
    }
}

extension Hex {
    static func encode(bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
