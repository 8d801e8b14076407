import TelemetryCore
import TelemetryTesting
import Testing

@testable import JaegerExporter

@Suite struct JaegerThriftRoundTripTests {
    @Test func fullSpanSurvivesEncodeAndDecode() throws {
        let span = SpanFixtures.full
        let decoded = try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span]))
        #expect(decoded == [span])
    }

    @Test func rootSpanWithOkStatusAndNoSampledFlag() throws {
        let span = SpanFixtures.root
        let decoded = try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span]))
        #expect(decoded == [span])
        #expect(decoded.first?.parentSpanID == nil)
        #expect(decoded.first?.links.isEmpty == true)
    }

    @Test func arraysTravelAsJSONStrings() throws {
        var span = SpanFixtures.root
        span.attributes = ["tags": .stringArray(["a", "b\"c"]), "ids": .intArray([1, 2]), "flags": .boolArray([true])]
        let decoded = try #require(try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span])).first)
        #expect(decoded.attributes["tags"] == .string(#"["a","b\"c"]"#))
        #expect(decoded.attributes["ids"] == .string("[1,2]"))
        #expect(decoded.attributes["flags"] == .string("[true]"))
    }

    @Test func timesAreMicroseconds() throws {
        var span = SpanFixtures.root
        span.startTimeNanos = 1_500_999
        span.endTimeNanos = 4_501_999
        let decoded = try #require(try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span])).first)
        #expect(decoded.startTimeNanos == 1_500_000)
        #expect(decoded.endTimeNanos == 4_501_000)
    }

    @Test func durationEndsOnTheTruncatedEnd() throws {
        var span = SpanFixtures.root
        span.startTimeNanos = 999
        span.endTimeNanos = 1_001
        let decoded = try #require(try JaegerThriftDecoder.decode(JaegerThriftEncoder.encode([span])).first)
        #expect(decoded.startTimeNanos == 0)
        #expect(decoded.endTimeNanos == 1_000)
    }

    @Test func mixedResourcesSplitIntoOneBatchEach() throws {
        var other = SpanFixtures.root
        other.resource = TelemetryResource(attributes: ["service.name": "inventory"])
        let bodies = JaegerThriftEncoder.encodeBatches([SpanFixtures.full, other, SpanFixtures.root])
        #expect(bodies.count == 2)
        let first = try JaegerThriftDecoder.decode(bodies[0])
        let second = try JaegerThriftDecoder.decode(bodies[1])
        #expect(first.map(\.name) == ["GET /cart", "root"])
        #expect(second.map(\.resource.serviceName) == ["inventory"])
    }

    @Test func legacyErrorTagAndLibraryScopeAreUnderstood() throws {
        var writer = ThriftWriter()
        writer.writeFieldHeader(.struct, id: 1)
        writer.writeString("legacy", id: 1)
        writer.writeStop()
        writer.writeFieldHeader(.list, id: 2)
        writer.writeListHeader(.struct, count: 1)
        writer.writeI64(5, id: 1)
        writer.writeI64(6, id: 3)
        writer.writeString("op", id: 5)
        writer.writeFieldHeader(.list, id: 10)
        writer.writeListHeader(.struct, count: 2)
        writer.writeTag("error", .bool(true))
        writer.writeTag("otel.library.name", string: "lib")
        writer.writeStop()
        writer.writeStop()
        let span = try #require(try JaegerThriftDecoder.decode(writer.bytes).first)
        #expect(span.status == .error(description: nil))
        #expect(span.scope.name == "lib")
        #expect(span.attributes.isEmpty)
        #expect(span.resource.serviceName == "legacy")
    }
}
