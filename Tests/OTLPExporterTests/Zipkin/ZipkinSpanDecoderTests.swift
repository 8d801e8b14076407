import TelemetryCore
import Testing

@testable import OTLPExporter

/// Each mapping rule of the Collector's Zipkin v2 translator, as our decoder applies it.
@Suite("Zipkin v2 decoding")
struct ZipkinSpanDecoderTests {
    static func decode(_ json: String) throws -> [TelemetrySpanData] {
        try ZipkinSpanDecoder.decode(json: Array(json.utf8))
    }

    static func one(_ fields: String) throws -> TelemetrySpanData {
        // A later duplicate member replaces an earlier one, so `fields` may override the timestamp.
        let spans = try decode(#"[{"traceId":"5af7183fb1d4cf5f","id":"352bff9a74ca9ad2","timestamp":1,"# + fields + "}]")
        return try #require(spans.first)
    }

    static let full = #"""
        [{"traceId":"463ac35c9f6413ad48485a3953bb6124","parentId":"0020000000000001","id":"a2fb4a1d1a96d312",
          "kind":"SERVER","name":"get /api","timestamp":1556604172355737,"duration":1431,
          "localEndpoint":{"serviceName":"frontend","ipv4":"192.168.99.1","port":8080},
          "remoteEndpoint":{"serviceName":"browser","ipv6":"2001:db8::c001","port":53719},
          "annotations":[{"timestamp":1556604172355800,"value":"cache miss"}],
          "tags":{"http.method":"GET","service.version":"1.2","telemetry.sdk.language":"python",
                  "otel.library.name":"send_spans","otel.library.version":"1.0"},
          "debug":true,"shared":true}]
        """#

    @Test("a full span: IDs, kind, times in microseconds, endpoints, tags, annotations")
    func fullSpan() throws {
        let span = try #require(try Self.decode(Self.full).first)
        #expect(span.traceID == TraceID(high: 0x463a_c35c_9f64_13ad, low: 0x4848_5a39_53bb_6124))
        #expect(span.spanID == SpanID(0xa2fb_4a1d_1a96_d312))
        #expect(span.parentSpanID == SpanID(0x0020_0000_0000_0001))
        #expect(span.kind == .server)
        #expect(span.name == "get /api")
        #expect(span.startTimeNanos == 1_556_604_172_355_737_000)
        #expect(span.endTimeNanos == 1_556_604_172_355_737_000 + 1_431_000)
        #expect(span.traceFlags == .sampled)
        #expect(span.status == .unset)
        #expect(span.resource.attributes == ["service.name": "frontend", "service.version": "1.2", "telemetry.sdk.language": "python"])
        #expect(span.scope == TelemetryInstrumentationScope(name: "send_spans", version: "1.0"))
        #expect(
            span.attributes == [
                "http.method": "GET", "net.host.ip": "192.168.99.1", "net.host.port": 8080,
                "peer.service": "browser", "net.peer.ip": "2001:db8::c001", "net.peer.port": 53719,
            ])
        #expect(span.events == [TelemetrySpanEvent(name: "cache miss", timeNanos: 1_556_604_172_355_800_000)])
    }

    @Test("kinds map one to one; absent or unknown kinds are internal; span.kind is dropped only without a kind")
    func kinds() throws {
        let cases: [(String, TelemetrySpanKind)] = [
            (#""kind":"CLIENT""#, .client), (#""kind":"SERVER""#, .server), (#""kind":"PRODUCER""#, .producer),
            (#""kind":"CONSUMER""#, .consumer), (#""kind":"client""#, .client), (#""kind":"BOGUS""#, .internal),
            (#""kind":null"#, .internal), (#""name":"x""#, .internal),
        ]
        for (fields, kind) in cases {
            #expect(try Self.one(fields).kind == kind, "\(fields)")
        }
        #expect(try Self.one(#""tags":{"span.kind":"internal"}"#).attributes.isEmpty)
        #expect(try Self.one(#""kind":"CLIENT","tags":{"span.kind":"client"}"#).attributes == ["span.kind": "client"])
    }

    @Test("64-bit trace IDs fill the low half; short hex is left-padded as zipkin-go reads it")
    func traceIDWidths() throws {
        let sixtyFour = try Self.one(#""name":"x""#)
        #expect(sixtyFour.traceID == TraceID(high: 0, low: 0x5af7_183f_b1d4_cf5f))
        let short = try #require(try Self.decode(#"[{"traceId":"abc","id":"1"}]"#).first)
        #expect(short.traceID == TraceID(high: 0, low: 0xabc))
        #expect(short.spanID == SpanID(1))
        let wide = try #require(try Self.decode(#"[{"traceId":"1ffffffffffffffff","id":"1"}]"#).first)
        #expect(wide.traceID == TraceID(high: 1, low: .max))
    }

    @Test("the error tag makes the status ERROR with its value as the message, and leaves the attributes")
    func errorTag() throws {
        #expect(try Self.one(#""tags":{"error":"HTTP 500"}"#).status == .error(description: "HTTP 500"))
        #expect(try Self.one(#""tags":{"error":"true"}"#).status == .error(description: nil))
        #expect(try Self.one(#""tags":{"error":""}"#).status == .error(description: nil))
        #expect(try Self.one(#""tags":{"error":"HTTP 500","http.method":"GET"}"#).attributes == ["http.method": "GET"])
    }

    @Test("otel.status_code and otel.status_description set the status and leave the attributes")
    func otelStatusTags() throws {
        let ok = try Self.one(#""tags":{"otel.status_code":"OK"}"#)
        #expect(ok.status == .ok)
        #expect(ok.attributes.isEmpty)
        let failed = try Self.one(#""tags":{"otel.status_code":"ERROR","otel.status_description":"boom"}"#)
        #expect(failed.status == .error(description: "boom"))
        #expect(failed.attributes.isEmpty)
        #expect(try Self.one(#""tags":{"otel.status_code":"STATUS_CODE_ERROR"}"#).status == .error(description: nil))
        // OpenTelemetry's Zipkin exporters: the code, and the description in `error`.
        #expect(try Self.one(#""tags":{"otel.status_code":"ERROR","error":"HTTP 503"}"#).status == .error(description: "HTTP 503"))
        #expect(try Self.one(#""tags":{"otel.status_code":"MAYBE"}"#).status == .unset)
        let lonely = try Self.one(#""tags":{"otel.status_description":"why"}"#)
        #expect(lonely.status == .unset)
        #expect(lonely.attributes == ["otel.status_description": "why"])
    }

    @Test("annotations: the specification's JSON, the Collector's name|json|dropped, and free text")
    func annotations() throws {
        let spec = #"{\"exception\": {\"exception.type\": \"Timeout\", \"count\": 3, \"ratio\": 0.5, \"ok\": false, \"ids\": [\"a\", \"b\"], \"nested\": {}}}"#
        let span = try Self.one(
            #""annotations":[{"timestamp":5,"value":"\#(spec)"},{"timestamp":6,"value":"retry|{\"attempt\":2}|1"},"#
                + #"{"timestamp":7,"value":"a|b"},{"timestamp":8,"value":"{not json"}]"#)
        #expect(
            span.events == [
                TelemetrySpanEvent(
                    name: "exception", timeNanos: 5000,
                    attributes: [
                        "count": 3, "exception.type": "Timeout", "ids": .stringArray(["a", "b"]), "ok": false, "ratio": 0.5,
                    ]),
                TelemetrySpanEvent(name: "retry", timeNanos: 6000, attributes: ["attempt": 2], droppedAttributesCount: 1),
                TelemetrySpanEvent(name: "a|b", timeNanos: 7000),
                TelemetrySpanEvent(name: "{not json", timeNanos: 8000),
            ])
    }

    @Test("a parent ID that is absent, empty, zero or the span's own ID is no parent")
    func parentRules() throws {
        #expect(try Self.one(#""parentId":"352bff9a74ca9ad2""#).parentSpanID == nil)
        #expect(try Self.one(#""parentId":"0000000000000000""#).parentSpanID == nil)
        #expect(try Self.one(#""parentId":"""#).parentSpanID == nil)
        #expect(try Self.one(#""parentId":null"#).parentSpanID == nil)
        #expect(try Self.one(#""parentId":"1""#).parentSpanID == SpanID(1))
    }

    @Test("an absent timestamp starts the span at the epoch and says so, as the Collector does")
    func absentTimestamp() throws {
        let span = try Self.one(#""timestamp":null,"duration":20"#)
        #expect(span.startTimeNanos == 0)
        #expect(span.endTimeNanos == 20_000)
        #expect(span.attributes == TelemetryAttributes([TelemetryAttribute(ZipkinSpan.startTimeAbsentAttribute, .bool(true))]))
    }

    @Test("without a local service name the resource has none; the endpoint's name outvotes a service.name tag")
    func serviceName() throws {
        #expect(try Self.one(#""name":"x""#).resource.attributes.isEmpty)
        let named = try Self.one(#""localEndpoint":{"serviceName":"api"},"tags":{"service.name":"other"}"#)
        #expect(named.resource.attributes == ["service.name": "api"])
        let tagOnly = try Self.one(#""tags":{"service.name":"from-tag"}"#)
        #expect(tagOnly.resource.serviceName == "from-tag")
        // Resource tags that sort before it do not hide the tag's service name.
        let withHost = try Self.one(#""tags":{"host.name":"h","service.name":"from-tag"}"#)
        #expect(withHost.resource.serviceName == "from-tag")
        #expect(withHost.resource.attributes["host.name"] == "h")
    }

    @Test("w3c.tracestate becomes the trace state; an empty array is no spans")
    func traceStateAndEmpty() throws {
        let span = try Self.one(#""tags":{"w3c.tracestate":"vendor=value"}"#)
        #expect(span.traceState == TraceState(headerValue: "vendor=value"))
        #expect(span.attributes.isEmpty)
        #expect(try Self.decode("[]").isEmpty)
        #expect(try ZipkinSpanDecoder.decode(protobuf: []).isEmpty)
    }

    @Test("a proto3 ListOfSpans decodes to the same spans as its JSON twin")
    func protobufMatchesJSON() throws {
        var writer = ProtobufWriter(capacity: 512)
        writer.message(1) { span in
            span.idBytes(1, 0x463a_c35c_9f64_13ad, 0x4848_5a39_53bb_6124)
            span.idBytes(2, nil, 0x0020_0000_0000_0001)
            span.idBytes(3, nil, 0xa2fb_4a1d_1a96_d312)
            span.varintField(4, 2)
            span.string(5, "get /api")
            span.fixed64(6, 1_556_604_172_355_737)
            span.varintField(7, 1431)
            span.message(8) { endpoint in
                endpoint.string(1, "frontend")
                Self.rawBytes(&endpoint, 2, [192, 168, 99, 1])
                endpoint.varintField(4, 8080)
            }
            span.message(9) { endpoint in
                endpoint.string(1, "browser")
                Self.rawBytes(&endpoint, 3, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x01])
                endpoint.varintField(4, 53719)
            }
            span.message(10) { annotation in
                annotation.fixed64(1, 1_556_604_172_355_800)
                annotation.string(2, "cache miss")
            }
            for (key, value) in [
                ("http.method", "GET"), ("service.version", "1.2"), ("telemetry.sdk.language", "python"),
                ("otel.library.name", "send_spans"), ("otel.library.version", "1.0"),
            ] {
                span.message(11) { entry in
                    entry.string(1, key)
                    entry.string(2, value)
                }
            }
            span.varintField(12, 1)
            span.varintField(13, 1)
            span.varintField(99, 7)  // an unknown field is skipped
        }
        #expect(try ZipkinSpanDecoder.decode(protobuf: writer.bytes) == (try Self.decode(Self.full)))
    }

    static func rawBytes(_ writer: inout ProtobufWriter, _ field: UInt32, _ bytes: [UInt8]) {
        writer.tag(field, wireType: 2)
        writer.varint(UInt64(bytes.count))
        writer.bytes += bytes
    }
}
