import Foundation
import OTLPExporter
import SwiftProtobuf
import TelemetryCore

extension OTLPProtobufMapping {
    package static func decode(_ bytes: [UInt8]) throws(OTLPDecodingError) -> OTLPDecodedTraces {
        let request: Request
        do {
            request = try Request(serializedBytes: bytes)
        } catch {
            throw .protobuf("\(error)")
        }
        var result = OTLPDecodedTraces()
        for resourceSpans in request.resourceSpans {
            let resource = TelemetryResource(attributes: attributes(resourceSpans.resource.attributes))
            for scopeSpans in resourceSpans.scopeSpans {
                let scope = TelemetryInstrumentationScope(
                    name: scopeSpans.scope.name,
                    version: scopeSpans.scope.version.isEmpty ? nil : scopeSpans.scope.version
                )
                for proto in scopeSpans.spans {
                    guard let traceID = TraceID(bytes: proto.traceID), traceID.isValid else {
                        result.reject("span \(proto.name.debugDescription) has an invalid trace ID of \(proto.traceID.count) bytes")
                        continue
                    }
                    guard let spanID = SpanID(bytes: proto.spanID), spanID.isValid else {
                        result.reject("span \(proto.name.debugDescription) has an invalid span ID of \(proto.spanID.count) bytes")
                        continue
                    }
                    var parent: SpanID?
                    if !proto.parentSpanID.isEmpty {
                        guard let parsed = SpanID(bytes: proto.parentSpanID) else {
                            result.reject("span \(proto.name.debugDescription) has an invalid parent span ID of \(proto.parentSpanID.count) bytes")
                            continue
                        }
                        parent = parsed.isValid ? parsed : nil
                    }
                    var links: [TelemetrySpanLink] = []
                    links.reserveCapacity(proto.links.count)
                    for link in proto.links {
                        guard let linkTrace = TraceID(bytes: link.traceID), let linkSpan = SpanID(bytes: link.spanID) else { continue }
                        links.append(
                            TelemetrySpanLink(
                                context: SpanContext(
                                    traceID: linkTrace,
                                    spanID: linkSpan,
                                    traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: link.flags)),
                                    traceState: TraceState(headerValue: link.traceState) ?? TraceState()
                                ),
                                attributes: attributes(link.attributes),
                                droppedAttributesCount: link.droppedAttributesCount
                            ))
                    }
                    let status: TelemetrySpanStatus =
                        switch proto.status.code {
                        case .ok: .ok
                        case .error: .error(description: proto.status.message.isEmpty ? nil : proto.status.message)
                        default: .unset
                        }
                    result.spans.append(
                        TelemetrySpanData(
                            traceID: traceID,
                            spanID: spanID,
                            parentSpanID: parent,
                            traceFlags: TraceFlags(rawValue: UInt8(truncatingIfNeeded: proto.flags)),
                            traceState: TraceState(headerValue: proto.traceState) ?? TraceState(),
                            name: proto.name,
                            kind: TelemetrySpanKind(otlpValue: proto.kind.rawValue) ?? .internal,
                            startTimeNanos: proto.startTimeUnixNano,
                            endTimeNanos: proto.endTimeUnixNano,
                            attributes: attributes(proto.attributes),
                            events: proto.events.map { event in
                                TelemetrySpanEvent(
                                    name: event.name,
                                    timeNanos: event.timeUnixNano,
                                    attributes: attributes(event.attributes),
                                    droppedAttributesCount: event.droppedAttributesCount
                                )
                            },
                            links: links,
                            status: status,
                            resource: resource,
                            scope: scope,
                            droppedAttributesCount: proto.droppedAttributesCount,
                            droppedEventsCount: proto.droppedEventsCount,
                            droppedLinksCount: proto.droppedLinksCount
                        ))
                }
            }
        }
        return result
    }

    package static func attributes(_ keyValues: [KeyValue]) -> TelemetryAttributes {
        var result = TelemetryAttributes()
        result.reserveCapacity(keyValues.count)
        for keyValue in keyValues {
            guard let value = attributeValue(keyValue.value) else { continue }
            result[keyValue.key] = value
        }
        return result
    }

    /// Maps an `AnyValue`; types our model lacks (bytes, maps, mixed arrays) become strings.
    package static func attributeValue(_ any: AnyValue) -> TelemetryAttributeValue? {
        switch any.value {
        case .stringValue(let value): return .string(value)
        case .boolValue(let value): return .bool(value)
        case .intValue(let value): return .int(value)
        case .doubleValue(let value): return .double(value)
        case .bytesValue(let value): return .string(value.base64EncodedString())
        case .arrayValue(let array):
            let values = array.values.compactMap { attributeValue($0) }
            return TelemetryAttributeValue.homogeneousArray(values)
        case .kvlistValue(let list):
            let pairs = list.values.compactMap { pair in attributeValue(pair.value).map { (pair.key, $0) } }
            return .string("{" + pairs.map { JSONText.quoted($0.0) + ":" + $0.1.jsonFragment }.joined(separator: ",") + "}")
        default: return nil
        }
    }
}
