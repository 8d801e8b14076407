import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("OTLP decoding")
struct OTLPDecoderTests {
    /// Serialized by the official `opentelemetry-proto` Python package: one full span and
    /// one span with no IDs.
    static let request = GzipTests.bytes(
        hex: "0aaf020a200a1e0a0c736572766963652e6e616d65120e0a0c757365722d73657276696365128a020a110a0a73656e645f7370616e731203312e3012ea010a100af7651916cd43dd8448eb211c80319c1208b7ad6b71692033311a076f743d74683a63220800f067aa0ba902b72a0d474554202f696e7465726e616c30023900002a36fe9c971741002d5b37fe9c97174a200a19687474702e726573706f6e73652e7374617475735f636f6465120318f7034a120a05726174696f120921000000000000e03f4a0f0a047461677312072a050a030a01785a41098096c236fe9c97171209657863657074696f6e1a2b0a0e657863657074696f6e2e7479706512190a1753657276696365556e617661696c61626c654572726f727a0c12084854545020353033180212082a066e6f20696473"
    )

    @Test("protobuf from the official encoder decodes field by field; a span without IDs is rejected")
    func protobuf() throws {
        let decoded = try OTLPProtobufDecoder.decode(Self.request)
        #expect(decoded.rejected == 1)
        let span = try #require(decoded.spans.first)
        #expect(span.traceID.hexString == "0af7651916cd43dd8448eb211c80319c")
        #expect(span.spanID.hexString == "b7ad6b7169203331")
        #expect(span.parentSpanID?.hexString == "00f067aa0ba902b7")
        #expect(span.adjustedCount == 4)
        #expect(span.name == "GET /internal")
        #expect(span.kind == .server)
        #expect(span.durationNanos == 20_000_000)
        #expect(span.attributes["http.response.status_code"] == .int(503))
        #expect(span.attributes["ratio"] == .double(0.5))
        #expect(span.attributes["tags"] == .stringArray(["x"]))
        #expect(span.events.first?.attributes["exception.type"] == "ServiceUnavailableError")
        #expect(span.status == .error(description: "HTTP 503"))
        #expect(span.resource.serviceName == "user-service")
        #expect(span.scope == InstrumentationScope(name: "send_spans", version: "1.0"))
    }

    @Test("every truncation of a valid request fails cleanly or decodes a prefix, never crashes")
    func truncations() {
        for length in 0..<Self.request.count {
            _ = try? OTLPProtobufDecoder.decode(Array(Self.request.prefix(length)))
        }
    }

    @Test("OTLP/JSON with string integers and enum names decodes")
    func json() throws {
        let body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"auth-service"}}]},
            "scopeSpans":[{"scope":{"name":"s"},"spans":[
              {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"login","kind":"SPAN_KIND_SERVER",
               "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000005000000",
               "attributes":[{"key":"http.response.status_code","value":{"intValue":"401"}}],
               "status":{"code":2,"message":"denied"}},
              {"traceId":"","spanId":"","name":"bad"}]}]}]}
            """
        let decoded = try OTLPJSONDecoder.decode(Array(body.utf8))
        #expect(decoded.rejected == 1)
        let span = try #require(decoded.spans.first)
        #expect(span.resource.serviceName == "auth-service")
        #expect(span.kind == .server)
        #expect(span.durationNanos == 5_000_000)
        #expect(span.attributes["http.response.status_code"] == .int(401))
        #expect(span.status == .error(description: "denied"))
        #expect(throws: (any Error).self) { try OTLPJSONDecoder.decode(Array("[1,2]".utf8)) }
    }
}
