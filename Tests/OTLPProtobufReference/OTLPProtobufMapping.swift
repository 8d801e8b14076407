import Foundation
import OTLPExporter
import SwiftProtobuf
import TelemetryCore

/// Span data to and from the generated OTLP protobuf messages.
package enum OTLPProtobufMapping {
    package typealias Request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    package typealias Response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
    package typealias ProtoSpan = Opentelemetry_Proto_Trace_V1_Span
    package typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
    package typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue

    package static func request(_ groups: [ResourceGroup]) -> Request {
        var request = Request()
        request.resourceSpans.reserveCapacity(groups.count)
        for group in groups {
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            resourceSpans.resource.attributes = keyValues(group.resource.attributes)
            resourceSpans.scopeSpans.reserveCapacity(group.scopes.count)
            for scopeGroup in group.scopes {
                var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
                scopeSpans.scope.name = scopeGroup.scope.name
                scopeSpans.scope.version = scopeGroup.scope.version ?? ""
                scopeSpans.spans = scopeGroup.spans.map(span)
                resourceSpans.scopeSpans.append(scopeSpans)
            }
            request.resourceSpans.append(resourceSpans)
        }
        return request
    }

    package static func response(rejectedSpans: Int, errorMessage: String) -> Response {
        var response = Response()
        if rejectedSpans > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedSpans = Int64(rejectedSpans)
            response.partialSuccess.errorMessage = errorMessage
        }
        return response
    }

    package static func span(_ span: TelemetrySpanData) -> ProtoSpan {
        var proto = ProtoSpan()
        proto.traceID = span.traceID.data
        proto.spanID = span.spanID.data
        if !span.traceState.isEmpty { proto.traceState = span.traceState.headerValue }
        if let parent = span.parentSpanID { proto.parentSpanID = parent.data }
        proto.flags = UInt32(span.traceFlags.rawValue)
        proto.name = span.name
        proto.kind = ProtoSpan.SpanKind(rawValue: span.kind.otlpValue) ?? .internal
        proto.startTimeUnixNano = span.startTimeNanos
        proto.endTimeUnixNano = span.endTimeNanos
        proto.attributes = keyValues(span.attributes)
        proto.droppedAttributesCount = span.droppedAttributesCount
        if !span.events.isEmpty {
            proto.events = span.events.map { event in
                var protoEvent = ProtoSpan.Event()
                protoEvent.timeUnixNano = event.timeNanos
                protoEvent.name = event.name
                protoEvent.attributes = keyValues(event.attributes)
                protoEvent.droppedAttributesCount = event.droppedAttributesCount
                return protoEvent
            }
        }
        proto.droppedEventsCount = span.droppedEventsCount
        if !span.links.isEmpty {
            proto.links = span.links.map { link in
                var protoLink = ProtoSpan.Link()
                protoLink.traceID = link.context.traceID.data
                protoLink.spanID = link.context.spanID.data
                if !link.context.traceState.isEmpty { protoLink.traceState = link.context.traceState.headerValue }
                protoLink.attributes = keyValues(link.attributes)
                protoLink.droppedAttributesCount = link.droppedAttributesCount
                protoLink.flags = UInt32(link.context.traceFlags.rawValue)
                return protoLink
            }
        }
        proto.droppedLinksCount = span.droppedLinksCount
        switch span.status {
        case .unset:
            break
        case .ok:
            proto.status.code = .ok
        case .error(let description):
            proto.status.code = .error
            proto.status.message = description ?? ""
        }
        return proto
    }

    package static func keyValues(_ attributes: TelemetryAttributes) -> [KeyValue] {
        guard !attributes.isEmpty else { return [] }
        var result: [KeyValue] = []
        result.reserveCapacity(attributes.count)
        for attribute in attributes {
            var keyValue = KeyValue()
            keyValue.key = attribute.key
            keyValue.value = anyValue(attribute.value)
            result.append(keyValue)
        }
        return result
    }

    package static func anyValue(_ value: TelemetryAttributeValue) -> AnyValue {
        var any = AnyValue()
        switch value {
        case .string(let string): any.value = .stringValue(string)
        case .bool(let bool): any.value = .boolValue(bool)
        case .int(let int): any.value = .intValue(int)
        case .double(let double): any.value = .doubleValue(double)
        case .stringArray(let values): any.value = .arrayValue(.with { $0.values = values.map { anyValue(.string($0)) } })
        case .boolArray(let values): any.value = .arrayValue(.with { $0.values = values.map { anyValue(.bool($0)) } })
        case .intArray(let values): any.value = .arrayValue(.with { $0.values = values.map { anyValue(.int($0)) } })
        case .doubleArray(let values): any.value = .arrayValue(.with { $0.values = values.map { anyValue(.double($0)) } })
        }
        return any
    }
}

extension SwiftProtobuf.Message {
    /// Serialization cannot fail for these messages (no required fields, no `Any`).
    package func serializedBytesOrEmpty() -> [UInt8] {
        (try? serializedBytes()) ?? []
    }
}

extension TraceID {
    package var data: Data {
        var data = Data(count: 16)
        data.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return data
    }
}

extension SpanID {
    package var data: Data {
        var data = Data(count: 8)
        data.withUnsafeMutableBytes { $0.storeBytes(of: rawValue.bigEndian, toByteOffset: 0, as: UInt64.self) }
        return data
    }
}
