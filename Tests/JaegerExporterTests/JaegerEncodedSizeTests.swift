import TelemetryCore
import TelemetryTesting
import Testing

@testable import JaegerExporter

/// The encoder sizes a batch before writing it into one allocation; the size must match
/// what is written, and a writer whose buffer is too small must still produce the same bytes.
@Suite struct JaegerEncodedSizeTests {
    static var variedSpans: [TelemetrySpanData] {
        let long = String(repeating: "añ€😀", count: 300)
        var spans: [TelemetrySpanData] = [SpanFixtures.full, SpanFixtures.root]
        for index in 0..<24 {
            var span = SpanFixtures.full
            span.name = index % 5 == 0 ? long : "op \(index)"
            span.kind = TelemetrySpanKind.allCases[index % TelemetrySpanKind.allCases.count]
            span.status = [.unset, .ok, .error(description: nil), .error(description: ""), .error(description: "boom ✓")][index % 5]
            span.scope =
                [
                    TelemetryInstrumentationScope(name: ""), TelemetryInstrumentationScope(name: "lib"),
                    TelemetryInstrumentationScope(name: "lib", version: "1.0"), TelemetryInstrumentationScope(name: "lib", version: ""),
                ][index % 4]
            span.traceState = [TraceState(), TraceState(headerValue: "a=1")!, TraceState(headerValue: "ot=th:8,b=x,c=y")!][index % 3]
            span.parentSpanID = index % 2 == 0 ? nil : SpanID(UInt64(index) + 7)
            span.links = Array(span.links.prefix(index % 2))
            span.events = Array(span.events.prefix(index % 3))
            span.attributes["array"] = index % 3 == 0 ? .stringArray(["x", "y\n", long]) : .doubleArray([1.5, -0.0])
            span.attributes[long] = index % 7 == 0 ? .string(long) : nil
            spans.append(span)
        }
        return spans
    }

    @Test func sizeMatchesTheEncodedBatch() {
        let spans = Self.variedSpans
        let bytes = JaegerThriftEncoder.encode(spans)
        #expect(JaegerEncodedSize.batch(spans[...], resource: spans[0].resource) == bytes.count)
        for span in spans {
            #expect(JaegerEncodedSize.batch([span][...], resource: span.resource) == JaegerThriftEncoder.encode([span]).count)
        }
    }

    @Test func aTooSmallBufferMovesToOwnStorageWithoutChangingTheBytes() throws {
        let spans = Self.variedSpans
        let expected = JaegerThriftEncoder.encode(spans)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
        defer { scratch.deallocate() }
        var writer = ThriftWriter(into: scratch)
        writer.writeBatch(spans[...], resource: spans[0].resource)
        let movedOut = !writer.isWritingIntoGivenBuffer
        #expect(movedOut)
        #expect(writer.bytes == expected)
        #expect(try JaegerThriftDecoder.decode(expected).count == spans.count)
    }

    @Test func aBufferOfTheComputedSizeIsFilledExactly() {
        let spans = Self.variedSpans
        let size = JaegerEncodedSize.batch(spans[...], resource: spans[0].resource)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { scratch.deallocate() }
        var writer = ThriftWriter(into: scratch)
        writer.writeBatch(spans[...], resource: spans[0].resource)
        let stayedIn = writer.isWritingIntoGivenBuffer
        let written = writer.count
        #expect(stayedIn)
        #expect(written == size)
    }
}
