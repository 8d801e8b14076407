import Foundation
import TelemetryCore

/// Decodes an OTLP/JSON `ExportTraceServiceRequest`: hex IDs, 64-bit integers as strings or
/// numbers, enums as numbers or names, per the OTLP/HTTP JSON mapping.
enum OTLPJSONDecoder {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func decode(_ bytes: [UInt8]) throws -> DecodedTraces {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw Malformed(description: "not JSON")
        }
        guard let root = object as? [String: Any] else { throw Malformed(description: "top level is not an object") }
        var spans: [SpanData] = []
        var rejected = 0
        for resourceSpans in try array(root["resourceSpans"] ?? root["resource_spans"], "resourceSpans") {
            let resourceObject = resourceSpans["resource"] as? [String: Any]
            let resource = Resource(attributes: try attributes(resourceObject?["attributes"]))
            for scopeSpans in try array(resourceSpans["scopeSpans"] ?? resourceSpans["scope_spans"], "scopeSpans") {
                let scopeObject = scopeSpans["scope"] as? [String: Any]
                let scope = InstrumentationScope(name: scopeObject?["name"] as? String ?? "", version: scopeObject?["version"] as? String)
                for span in try array(scopeSpans["spans"], "spans") {
                    if let decoded = try decodeSpan(span, resource: resource, scope: scope) { spans.append(decoded) } else { rejected += 1 }
                }
            }
        }
        return DecodedTraces(spans: spans, rejected: rejected, message: rejected > 0 ? "\(rejected) spans had an invalid trace or span ID" : nil)
    }

    private static func array(_ value: Any?, _ name: String) throws -> [[String: Any]] {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else { throw Malformed(description: "\(name) is not an array") }
        return try list.map {
            guard let object = $0 as? [String: Any] else { throw Malformed(description: "\(name) holds a non-object") }
            return object
        }
    }

    private static func decodeSpan(_ object: [String: Any], resource: Resource, scope: InstrumentationScope) throws -> SpanData? {
        guard let traceID = (object["traceId"] as? String).flatMap({ TraceID(hexString: $0) }), traceID.isValid,
              let spanID = (object["spanId"] as? String).flatMap({ SpanID(hexString: $0) }), spanID.isValid
        else { return nil }
        let parent = (object["parentSpanId"] as? String).flatMap { $0.isEmpty ? nil : SpanID(hexString: $0) }
        let start = integer(object["startTimeUnixNano"]) ?? 0
        let end = integer(object["endTimeUnixNano"]) ?? start
        var status = SpanStatus.unset
        if let statusObject = object["status"] as? [String: Any] {
            let message = statusObject["message"] as? String
            switch enumValue(statusObject["code"], names: ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]) {
            case 1: status = .ok
            case 2: status = .error(description: message?.isEmpty == false ? message : nil)
            default: status = .unset
            }
        }
        let kinds: [SpanKind] = [.internal, .internal, .server, .client, .producer, .consumer]
        let kindIndex = enumValue(
            object["kind"],
            names: ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"])
        var events: [SpanEvent] = []
        for event in try array(object["events"], "events") {
            events.append(
                SpanEvent(name: event["name"] as? String ?? "", timeNanos: integer(event["timeUnixNano"]) ?? 0, attributes: try attributes(event["attributes"])))
        }
        var links: [SpanLink] = []
        for link in try array(object["links"], "links") {
            guard let linkTrace = (link["traceId"] as? String).flatMap({ TraceID(hexString: $0) }),
                  let linkSpan = (link["spanId"] as? String).flatMap({ SpanID(hexString: $0) })
            else { continue }
            links.append(SpanLink(context: SpanContext(traceID: linkTrace, spanID: linkSpan, isRemote: true), attributes: try attributes(link["attributes"])))
        }
        let flags = integer(object["flags"]).map { TraceFlags(rawValue: UInt8(truncatingIfNeeded: $0)) } ?? .sampled
        return SpanData(
            traceID: traceID, spanID: spanID, parentSpanID: parent, traceFlags: flags.rawValue == 0 ? .sampled : flags,
            traceState: (object["traceState"] as? String).flatMap { TraceState(headerValue: $0) } ?? TraceState(),
            name: object["name"] as? String ?? "", kind: kinds[min(max(kindIndex, 0), 5)], startTimeNanos: start,
            endTimeNanos: max(start, end), attributes: try attributes(object["attributes"]), events: events, links: links, status: status,
            resource: resource, scope: scope)
    }

    private static func attributes(_ value: Any?) throws -> Attributes {
        var result = Attributes()
        for pair in try array(value, "attributes") {
            guard let key = pair["key"] as? String, let value = anyValue(pair["value"]) else { continue }
            result[key] = value
        }
        return result
    }

    private static func anyValue(_ value: Any?) -> AttributeValue? {
        guard let object = value as? [String: Any] else { return nil }
        if let text = object["stringValue"] as? String { return .string(text) }
        if let flag = object["boolValue"] as? Bool { return .bool(flag) }
        if let number = object["intValue"] { return integer(number).map { .int(Int64(bitPattern: $0)) } }
        if let number = object["doubleValue"] as? NSNumber { return .double(number.doubleValue) }
        if let arrayObject = object["arrayValue"] as? [String: Any] {
            let items = (arrayObject["values"] as? [Any] ?? []).compactMap(anyValue)
            return OTLPProtobufDecoder.homogeneous(items)
        }
        if let bytes = object["bytesValue"] as? String { return .string(bytes) }
        return nil
    }

    /// 64-bit integers arrive as strings (per the JSON mapping) or as plain numbers.
    private static func integer(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) ?? Int64(text).map { UInt64(bitPattern: $0) } }
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }

    private static func enumValue(_ value: Any?, names: [String]) -> Int {
        if let text = value as? String { return names.firstIndex(of: text) ?? 0 }
        if let number = value as? NSNumber { return number.intValue }
        return 0
    }
}
