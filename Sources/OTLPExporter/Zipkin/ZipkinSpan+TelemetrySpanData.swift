import TelemetryCore

// The mapping of the OpenTelemetry Collector's Zipkin v2 translator
// (pkg/translator/zipkin/zipkinv2), written for our span model.

extension ZipkinSpan {
    /// The attribute the Collector sets on a span whose `timestamp` was absent (it then starts at the epoch).
    static let startTimeAbsentAttribute = "otel.zipkin.absentField.startTime"

    /// The span in our model; throws for zero IDs and times past `UInt64` nanoseconds.
    ///
    /// `debug` asks Zipkin to keep a span regardless of sampling; every span a receiver
    /// accepts is kept and marked sampled, so it adds nothing, as in the Collector. A
    /// `shared` span (a server span reusing its client's span ID, Zipkin's B3 single-span
    /// RPC model) stays a span of its own with that ID, as the Collector keeps it.
    func spanData() throws(ZipkinDecodingError) -> TelemetrySpanData {
        guard traceID.high != 0 || traceID.low != 0 else { throw .span(index, "traceId is zero") }
        guard id != 0 else { throw .span(index, "id is zero") }
        var attributes = TelemetryAttributes()
        var resource = TelemetryAttributes()
        attributes.reserveCapacity(tags.count + 4)
        let endpointNamesService = localEndpoint?.serviceName.isEmpty == false
        if endpointNamesService, let service = localEndpoint?.serviceName {
            resource.appendUnchecked(TelemetryAttribute("service.name", .string(service)))
        }
        var scopeName = "", scopeVersion: String?
        var traceState = TraceState()
        var statusCode: String?, statusDescription: String?, errorTag: String?
        for (key, value) in tags {
            switch key {
            case "otel.status_code": statusCode = value
            case "otel.status_description": statusDescription = value
            case "error": errorTag = value
            case "w3c.tracestate": traceState = TraceState(headerValue: value) ?? TraceState()
            case "otel.scope.name": scopeName = value
            case "otel.library.name": if scopeName.isEmpty { scopeName = value }
            case "otel.scope.version": scopeVersion = value
            case "otel.library.version": if scopeVersion == nil { scopeVersion = value }
            // Without a Zipkin kind the translator reads and drops the OpenTracing `span.kind` tag.
            case "span.kind" where kind == nil: continue
            // The local endpoint names the service; a tag says the same or is outvoted.
            case "service.name" where endpointNamesService: continue
            case _ where Self.isResourceKey(key): resource.appendUnchecked(TelemetryAttribute(key, .string(value)))
            default: attributes.appendUnchecked(TelemetryAttribute(key, .string(value)))
            }
        }

        var status = TelemetrySpanStatus.unset
        if let statusCode {
            switch statusCode.uppercased() {
            case "OK", "STATUS_CODE_OK": status = .ok
            case "ERROR", "STATUS_CODE_ERROR": status = .error(description: statusDescription.flatMap { $0.isEmpty ? nil : $0 })
            default:
                // An unknown code sets nothing; its description stays readable as a tag.
                if let statusDescription { attributes.appendUnchecked(TelemetryAttribute("otel.status_description", .string(statusDescription))) }
            }
        } else if let statusDescription {
            // Only a status code gives the description its meaning; alone it is a plain tag.
            attributes.appendUnchecked(TelemetryAttribute("otel.status_description", .string(statusDescription)))
        }
        if let errorTag {
            // Zipkin marks a failed span by the presence of `error`, whose value is the message
            // (`true` when there is none); OpenTelemetry's Zipkin exporters write it so too.
            var message: String? = errorTag == "true" || errorTag.isEmpty ? nil : errorTag
            if case .error(let description?) = status { message = description }
            status = .error(description: message)
        }

        if let local = localEndpoint {
            if let ip = local.ipv6 ?? local.ipv4 { attributes["net.host.ip"] = .string(ip) }
            if local.port > 0 { attributes["net.host.port"] = .int(Int64(local.port)) }
        }
        if let remote = remoteEndpoint {
            if !remote.serviceName.isEmpty { attributes["peer.service"] = .string(remote.serviceName) }
            if let ip = remote.ipv6 ?? remote.ipv4 { attributes["net.peer.ip"] = .string(ip) }
            if remote.port > 0 { attributes["net.peer.port"] = .int(Int64(remote.port)) }
        }

        let start: UInt64
        if let micros = timestampMicros, micros > 0 {
            start = try nanoseconds(micros, "timestamp")
        } else {
            start = 0
            attributes[Self.startTimeAbsentAttribute] = .bool(true)
        }
        let duration = try nanoseconds(durationMicros, "duration")
        let (end, overflow) = start.addingReportingOverflow(duration)
        guard !overflow else { throw .span(index, "timestamp plus duration is past the year 2554") }

        var events: [TelemetrySpanEvent] = []
        events.reserveCapacity(annotations.count)
        for annotation in annotations {
            var event = Self.event(annotation.value)
            event.timeNanos = try nanoseconds(annotation.timestampMicros, "annotation timestamp")
            events.append(event)
        }

        return TelemetrySpanData(
            traceID: TraceID(high: traceID.high, low: traceID.low),
            spanID: SpanID(id),
            parentSpanID: parentID.flatMap { $0 == id ? nil : SpanID($0) },
            traceFlags: .sampled,
            traceState: traceState,
            name: name,
            kind: kind.map(\.spanKind) ?? .internal,
            startTimeNanos: start,
            endTimeNanos: end,
            attributes: attributes,
            events: events,
            status: status,
            resource: TelemetryResource(attributes: resource),
            scope: TelemetryInstrumentationScope(name: scopeName, version: scopeVersion))
    }

    private func nanoseconds(_ micros: UInt64, _ field: String) throws(ZipkinDecodingError) -> UInt64 {
        let (nanos, overflow) = micros.multipliedReportingOverflow(by: 1000)
        guard !overflow else { throw .span(index, "\(field) \(micros) µs is past the year 2554 in nanoseconds") }
        return nanos
    }

    /// Resource semantic-convention keys, which the translator moves from tags to the
    /// resource (OpenTelemetry's Zipkin exporters write resource attributes as tags).
    static func isResourceKey(_ key: String) -> Bool {
        if faasResourceKeys.contains(key) { return true }
        return resourcePrefixes.contains { key.hasPrefix($0) }
    }

    private static let resourcePrefixes = [
        "service.", "telemetry.", "host.", "os.", "process.", "container.", "k8s.", "cloud.", "device.", "webengine.",
        "deployment.", "aws.ecs.", "aws.eks.", "aws.log.",
    ]
    private static let faasResourceKeys: Set = ["faas.name", "faas.id", "faas.version", "faas.instance", "faas.max_memory"]
}

extension ZipkinSpan.Kind {
    var spanKind: TelemetrySpanKind {
        switch self {
        case .client: .client
        case .server: .server
        case .producer: .producer
        case .consumer: .consumer
        }
    }
}
