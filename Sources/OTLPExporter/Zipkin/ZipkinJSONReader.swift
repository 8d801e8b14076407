/// Reads a Zipkin v2 JSON span list (zipkin2-api.yaml's `ListOfSpans`) with the module's
/// strict parser, refusing a wrong type anywhere the way a typed decoder such as zipkin-go's
/// model does: IDs are hex strings, times non-negative integers, tags string to string.
/// Unknown members are ignored and `null` counts as absent.
enum ZipkinJSONReader {
    static func read(_ bytes: [UInt8]) throws(ZipkinDecodingError) -> [ZipkinSpan] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .json("\(error.message) at byte \(error.offset)")
        }
        guard case .array(let elements) = document else { throw .json("the top level is not an array of spans") }
        var spans: [ZipkinSpan] = []
        spans.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            spans.append(try span(element, index: index))
        }
        return spans
    }

    private static func span(_ value: JSONValue, index: Int) throws(ZipkinDecodingError) -> ZipkinSpan {
        guard case .object(let members) = value else { throw .json("span \(index) is not an object") }
        let field = FieldReader(index: index)
        var span = ZipkinSpan(index: index)
        guard let traceText = try field.string(members["traceId"], "traceId") else { throw field.fail("traceId", "is required") }
        guard let traceID = ZipkinID.traceID(hex: traceText) else {
            throw field.fail("traceId", "must be 1 to 32 hex digits, got \(ZipkinID.excerpt(traceText))")
        }
        span.traceID = traceID
        guard let idText = try field.string(members["id"], "id") else { throw field.fail("id", "is required") }
        guard let id = ZipkinID.spanID(hex: idText) else { throw field.fail("id", "must be 1 to 16 hex digits, got \(ZipkinID.excerpt(idText))") }
        span.id = id
        if let parentText = try field.string(members["parentId"], "parentId"), !parentText.isEmpty {
            guard let parent = ZipkinID.spanID(hex: parentText) else {
                throw field.fail("parentId", "must be 1 to 16 hex digits, got \(ZipkinID.excerpt(parentText))")
            }
            span.parentID = parent == 0 ? nil : parent
        }
        span.name = try field.string(members["name"], "name") ?? ""
        if let kind = try field.string(members["kind"], "kind") {
            // zipkin-go upper-cases the kind; other values are left unspecified there, internal here.
            switch kind.uppercased() {
            case "CLIENT": span.kind = .client
            case "SERVER": span.kind = .server
            case "PRODUCER": span.kind = .producer
            case "CONSUMER": span.kind = .consumer
            default: span.kind = nil
            }
        }
        span.timestampMicros = try field.unsigned(members["timestamp"], "timestamp")
        span.durationMicros = try field.unsigned(members["duration"], "duration") ?? 0
        span.localEndpoint = try endpoint(members["localEndpoint"], "localEndpoint", field)
        span.remoteEndpoint = try endpoint(members["remoteEndpoint"], "remoteEndpoint", field)
        span.debug = try field.bool(members["debug"], "debug")
        span.shared = try field.bool(members["shared"], "shared")

        switch members["annotations"] {
        case nil, .null?: break
        case .array(let values)?:
            for (position, annotation) in values.enumerated() {
                let name = "annotations[\(position)]"
                guard case .object(let fields) = annotation else { throw field.fail(name, "is not an object") }
                guard let timestamp = try field.unsigned(fields["timestamp"], "\(name).timestamp") else {
                    throw field.fail("\(name).timestamp", "is required")
                }
                let text = try field.string(fields["value"], "\(name).value") ?? ""
                span.annotations.append(.init(timestampMicros: timestamp, value: text))
            }
        default: throw field.fail("annotations", "must be an array")
        }

        switch members["tags"] {
        case nil, .null?: break
        case .object(let tags)?:
            // Object members arrive unordered; sorting keeps decoding deterministic.
            for key in tags.keys.sorted() {
                switch tags[key] {
                case .string(let text)?: span.tags.append((key, text))
                // OpenTelemetry's Python exporter writes a missing scope version as null; a
                // typed decoder leaves such a tag unset.
                case .null?: continue
                default: throw field.fail("tags.\(key)", "must be a string")
                }
            }
        default: throw field.fail("tags", "must be an object of strings")
        }
        return span
    }

    private static func endpoint(_ value: JSONValue?, _ name: String, _ field: FieldReader) throws(ZipkinDecodingError) -> ZipkinSpan.Endpoint? {
        switch value {
        case nil, .null?: return nil
        case .object(let members)?:
            var endpoint = ZipkinSpan.Endpoint()
            endpoint.serviceName = try field.string(members["serviceName"], "\(name).serviceName") ?? ""
            if let text = try field.string(members["ipv4"], "\(name).ipv4"), !text.isEmpty {
                guard ZipkinAddress.isIPv4(text) else { throw field.fail("\(name).ipv4", "is not an IPv4 address") }
                endpoint.ipv4 = text
            }
            if let text = try field.string(members["ipv6"], "\(name).ipv6"), !text.isEmpty {
                guard ZipkinAddress.isIPv6(text) else { throw field.fail("\(name).ipv6", "is not an IPv6 address") }
                endpoint.ipv6 = text
            }
            if let port = try field.unsigned(members["port"], "\(name).port") {
                guard port <= 65535 else { throw field.fail("\(name).port", "is not a port number") }
                endpoint.port = Int(port)
            }
            return endpoint
        default:
            throw field.fail(name, "must be an object")
        }
    }

    /// Typed reads of one span's members, failing with the span's index and the field's name.
    private struct FieldReader {
        let index: Int

        func fail(_ field: String, _ problem: String) -> ZipkinDecodingError {
            // Tag keys come from the sender; the answer quotes a bounded prefix.
            let name = field.count > 100 ? String(field.prefix(100)) + "…" : field
            return .json("span \(index): \(name) \(problem)")
        }

        func string(_ value: JSONValue?, _ field: String) throws(ZipkinDecodingError) -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw fail(field, "must be a string")
            }
        }

        func bool(_ value: JSONValue?, _ field: String) throws(ZipkinDecodingError) -> Bool {
            switch value {
            case nil, .null?: return false
            case .bool(let flag)?: return flag
            default: throw fail(field, "must be true or false")
            }
        }

        /// A JSON number that is a whole number in 0...UInt64.max (`1.6e15` counts).
        func unsigned(_ value: JSONValue?, _ field: String) throws(ZipkinDecodingError) -> UInt64? {
            switch value {
            case nil, .null?: return nil
            case .number(let text)?:
                if let whole = UInt64(text) ?? Double(text).flatMap({ UInt64(exactly: $0) }) { return whole }
                throw fail(field, "must be a whole number from 0 to \(UInt64.max), got \(ZipkinID.excerpt(text))")
            default: throw fail(field, "must be a number")
            }
        }
    }
}
