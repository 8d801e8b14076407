import TelemetryCore

/// The JSON shapes of Jaeger's HTTP query API (`/api/...`), which the Jaeger UI and Grafana's
/// Jaeger data source read: times and durations in microseconds, typed tags, one process per
/// distinct resource.
enum JaegerJSON {
    /// Every answer: `data` plus paging fields the API always carries, and `errors`.
    struct Envelope<Payload: Encodable>: Encodable {
        var data: Payload?
        var total: Int
        var limit: Int = 0
        var offset: Int = 0
        var errors: [Failure]?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            if let data { try container.encode(data, forKey: .data) } else { try container.encodeNil(forKey: .data) }
            try container.encode(total, forKey: .total)
            try container.encode(limit, forKey: .limit)
            try container.encode(offset, forKey: .offset)
            if let errors { try container.encode(errors, forKey: .errors) } else { try container.encodeNil(forKey: .errors) }
        }

        enum Key: String, CodingKey { case data, total, limit, offset, errors }
    }

    struct Failure: Encodable, Equatable {
        var code: Int
        var msg: String
        var traceID: String?
    }

    struct Trace: Encodable {
        var traceID: String
        var spans: [Span]
        var processes: [String: Process]
    }

    struct Span: Encodable {
        var traceID: String
        var spanID: String
        var flags: Int
        var operationName: String
        var references: [Reference]
        var startTime: UInt64
        var duration: UInt64
        var tags: [Tag]
        var logs: [Log]
        var processID: String
    }

    struct Reference: Encodable {
        var refType: String
        var traceID: String
        var spanID: String
    }

    struct Log: Encodable {
        var timestamp: UInt64
        var fields: [Tag]
    }

    struct Process: Encodable {
        var serviceName: String
        var tags: [Tag]
    }

    struct Tag: Encodable {
        var key: String
        var value: TelemetryAttributeValue

        init(_ attribute: TelemetryAttribute) {
            key = attribute.key
            value = attribute.value
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(key, forKey: .key)
            switch value {
            case .string(let text):
                try container.encode("string", forKey: .type)
                try container.encode(text, forKey: .value)
            case .bool(let flag):
                try container.encode("bool", forKey: .type)
                try container.encode(flag, forKey: .value)
            case .int(let number):
                try container.encode("int64", forKey: .type)
                try container.encode(number, forKey: .value)
            case .double(let number) where number.isFinite:
                try container.encode("float64", forKey: .type)
                try container.encode(number, forKey: .value)
            default:
                // Arrays (and non-finite doubles, which JSON cannot carry) as text, as
                // Jaeger's OpenTelemetry translation stores them.
                try container.encode("string", forKey: .type)
                try container.encode(value.description, forKey: .value)
            }
        }

        enum Key: String, CodingKey { case key, type, value }
    }

    struct Dependency: Encodable {
        var parent: String
        var child: String
        var callCount: UInt64
    }

    struct Operation: Encodable {
        var name: String
        var spanKind: String
    }

    /// A stored trace in the API's shape: spans ordered by start time, one process per
    /// distinct resource (`p1`, `p2`, … in order of first use).
    static func trace(_ spans: [TelemetrySpanData]) -> Trace {
        let ordered = spans.sorted { ($0.startTimeNanos, $0.spanID.rawValue) < ($1.startTimeNanos, $1.spanID.rawValue) }
        var processIDs: [TelemetryResource: String] = [:]
        var processes: [String: Process] = [:]
        var rendered: [Span] = []
        rendered.reserveCapacity(ordered.count)
        for span in ordered {
            let processID: String
            if let known = processIDs[span.resource] {
                processID = known
            } else {
                processID = "p\(processIDs.count + 1)"
                processIDs[span.resource] = processID
                processes[processID] = Process(
                    serviceName: span.resource.serviceName,
                    tags: span.resource.attributes.filter { $0.key != "service.name" }.map(Tag.init))
            }
            rendered.append(Self.span(span, processID: processID))
        }
        return Trace(traceID: traceID(spans.first?.traceID ?? .invalid), spans: rendered, processes: processes)
    }

    static func span(_ span: TelemetrySpanData, processID: String) -> Span {
        let trace = traceID(span.traceID)
        var references: [Reference] = []
        if let parent = span.parentSpanID, parent.isValid {
            references.append(Reference(refType: "CHILD_OF", traceID: trace, spanID: parent.hexString))
        }
        for link in span.links {
            references.append(Reference(refType: "FOLLOWS_FROM", traceID: traceID(link.context.traceID), spanID: link.context.spanID.hexString))
        }
        let logs = span.events.map { event in
            Log(
                timestamp: event.timeNanos / 1000,
                fields: [Tag(TelemetryAttribute("event", .string(event.name)))] + event.attributes.map(Tag.init))
        }
        return Span(
            traceID: trace, spanID: span.spanID.hexString, flags: Int(span.traceFlags.rawValue), operationName: span.name,
            references: references, startTime: span.startTimeNanos / 1000, duration: span.durationNanos / 1000,
            tags: span.attributes.map(Tag.init) + JaegerTags.synthesized(for: span).map(Tag.init), logs: logs, processID: processID)
    }

    /// Jaeger's rendering of a trace ID: 16 hex digits when the high half is zero, else 32.
    static func traceID(_ id: TraceID) -> String {
        id.high == 0 ? id.hexString.dropFirst(16).description : id.hexString
    }

    /// Jaeger's parsing of a trace ID: 1 to 32 hex digits, left-padded with zeros.
    static func parseTraceID(_ text: some StringProtocol) -> TraceID? {
        guard (1...32).contains(text.utf8.count) else { return nil }
        return TraceID(hexString: String(repeating: "0", count: 32 - text.utf8.count) + String(text))
    }
}
