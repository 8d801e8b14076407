import Foundation
import OTLPProtobufReference
import SwiftProtobuf
import TelemetryCore
import TelemetryTesting
import Testing

@testable import OTLPExporter

/// The hand-written wire-format decoder against the swift-protobuf generated path: on every
/// request of a corpus, every truncation and seeded corruptions of it, both must give the
/// same spans, rejections and message, or both must throw.
@Suite struct OTLPProtobufDecoderTests {
    /// What a decoder made of some bytes.
    enum Outcome: Equatable, CustomStringConvertible {
        case decoded(OTLPDecodedTraces)
        case failed

        var description: String {
            switch self {
            case .decoded(let traces): "decoded \(traces.spans.count) spans, \(traces.rejectedSpans) rejected: \(traces)"
            case .failed: "failed"
            }
        }
    }

    static func handWritten(_ bytes: [UInt8]) -> Outcome {
        do { return .decoded(try OTLPTraceDecoder.decode(protobuf: bytes)) } catch { return .failed }
    }

    static func generated(_ bytes: [UInt8]) -> Outcome {
        do { return .decoded(try OTLPProtobufMapping.decode(bytes)) } catch { return .failed }
    }

    /// Equal outcomes; values compare by text too, so NaN doubles from corruption match.
    static func agree(_ bytes: [UInt8]) -> Bool {
        let (a, b) = (handWritten(bytes), generated(bytes))
        return a == b || "\(a)" == "\(b)"
    }

    static var spans: [TelemetrySpanData] {
        var arrays = SpanFixtures.root
        arrays.spanID = SpanID(99)
        arrays.attributes = [
            "strings": .stringArray(["a", "b"]), "ints": .intArray([1, -2]), "doubles": .doubleArray([0.5]),
            "bools": .boolArray([true, false]), "empty": "",
        ]
        var otherScope = SpanFixtures.full
        otherScope.spanID = SpanID(100)
        otherScope.scope = TelemetryInstrumentationScope(name: "other")
        otherScope.droppedAttributesCount = 3
        otherScope.droppedEventsCount = 1
        otherScope.droppedLinksCount = 2
        otherScope.kind = .consumer
        var otherResource = SpanFixtures.root
        otherResource.resource = TelemetryResource(attributes: ["service.name": "inventory", "ünïcode": "✓ ok"])
        otherResource.name = "a longer span name than fits inline"
        return [SpanFixtures.full, arrays, otherScope, otherResource]
    }

    /// Requests written field by field: unknown fields of every wire type at every level,
    /// fields of an unexpected wire type, resources and scopes after their spans, repeated
    /// singular fields, merged messages and every `AnyValue` member.
    static var corpus: [[UInt8]] {
        var bodies: [[UInt8]] = [OTLPTraceEncoder.encodeProtobuf(spans), []]
        bodies.append(try! OTLPProtobufMapping.request(ResourceGroup.group(spans)).serializedBytes())

        var writer = ProtobufWriter(capacity: 4096)
        writer.varintField(99, 7)
        writer.message(1) { resourceSpans in
            resourceSpans.fixed64(98, 1)
            resourceSpans.message(2) { scopeSpans in
                scopeSpans.message(2) { span in
                    span.span(SpanFixtures.full)
                    span.fixed32(1, 5)  // trace_id with the wrong wire type: skipped
                    span.string(5, "renamed")  // a repeated singular field: the last wins
                    span.message(15) { $0.string(2, "merged message") }  // merges into the status
                    span.varintField(97, 1)
                    span.tag(96, wireType: 3)  // an unknown group with nested fields
                    span.varintField(1, 1)
                    span.message(2) { $0.varintField(1, 3) }
                    span.tag(96, wireType: 4)
                    span.message(9) { keyValue in
                        keyValue.string(1, "kinds")
                        keyValue.message(2) { value in
                            value.message(5) { array in
                                array.message(1) { $0.anyValue(.int(1)) }
                                array.message(1) { $0.anyValue(.string("two")) }
                                array.message(1) { _ in }
                                array.message(1) { $0.message(5) { $0.message(1) { $0.anyValue(.bool(true)) } } }
                            }
                            value.message(5) { $0.message(1) { $0.anyValue(.double(2.5)) } }  // merges into the array
                        }
                    }
                    span.message(9) { keyValue in
                        keyValue.string(1, "map")
                        keyValue.message(2) { value in
                            value.message(6) { list in
                                list.message(1) {
                                    $0.string(1, "a\"b"); $0.message(2) { $0.anyValue(.int(3)) }
                                }
                                list.message(1) { $0.string(1, "gone") }
                                list.message(1) {
                                    $0.string(1, "s"); $0.message(2) { $0.anyValue(.stringArray(["x"])) }
                                }
                            }
                        }
                    }
                    span.message(9) { keyValue in
                        keyValue.string(1, "bytes")
                        keyValue.message(2) {
                            $0.tag(7, wireType: 2); $0.varint(3); $0.bytes += [0, 255, 7]
                        }
                    }
                    span.message(9) {
                        $0.string(1, "strindex"); $0.message(2) { $0.varintField(8, 4) }
                    }
                    span.message(9) { $0.string(1, "novalue") }
                    span.message(9) {
                        $0.string(1, "http.method"); $0.message(2) { $0.anyValue(.string("POST")) }
                    }  // duplicate key
                    span.message(9) {
                        $0.string(1, "overwritten"); $0.message(2) { $0.anyValue(.int(1)) }; $0.message(2) { $0.anyValue(.bool(false)) }
                    }
                    span.message(9) {
                        $0.string(1, "zero");
                        $0.message(2) {
                            $0.anyValue(.int(0)); $0.varintField(3, 0, force: true)
                        }
                    }
                    span.varintField(6, 9)  // an unknown span kind
                }
                scopeSpans.message(2) { span in  // invalid IDs: rejected and counted
                    var root = SpanFixtures.root
                    root.name = "bad parent"
                    span.span(root)
                    span.tag(4, wireType: 2)
                    span.varint(2)
                    span.bytes += [1, 2]
                }
                scopeSpans.message(2) { $0.string(5, "no ids") }
                scopeSpans.message(1) { scope in  // the scope after its spans
                    scope.string(1, "late-scope")
                    scope.string(2, "9.9")
                    scope.attributes(3, ["scope.attr": 1])
                    scope.varintField(4, 2)
                }
                scopeSpans.string(3, "https://schema")
            }
            resourceSpans.message(1) { resource in  // the resource after its spans, in two parts that merge
                resource.attributes(1, ["service.name": "late"])
                resource.varintField(2, 1)
                resource.message(3) {
                    $0.string(1, "s"); $0.string(2, "t"); $0.string(3, "k")
                }
            }
            resourceSpans.message(1) { $0.attributes(1, ["extra": 2.5]) }
            resourceSpans.string(3, "https://schema")
        }
        writer.message(1) { resourceSpans in
            resourceSpans.message(2) { scopeSpans in
                scopeSpans.message(2) { span in
                    var linked = SpanFixtures.root
                    linked.links = [
                        TelemetrySpanLink(
                            context: SpanContext(
                                traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: .sampled,
                                traceState: TraceState(headerValue: "a=b")!), attributes: ["l": 1], droppedAttributesCount: 4)
                    ]
                    linked.traceState = TraceState(headerValue: "ot=th:8")!
                    span.span(linked)
                    span.message(13) {
                        $0.tag(1, wireType: 2); $0.varint(2); $0.bytes += [1, 2]
                    }  // a link with a short ID: left out
                    span.message(15) { $0.varintField(3, 1) }
                }
            }
        }
        bodies.append(writer.bytes)
        return bodies
    }

    @Test func corpusDecodesAsTheGeneratedMessagesDo() {
        for (index, body) in Self.corpus.enumerated() {
            let outcome = Self.handWritten(body)
            #expect(outcome == Self.generated(body), "body \(index)")
            if index != 1 { #expect(outcome != .failed, "body \(index)") }
        }
    }

    @Test func corpusCoversRejectionsMergesAndUnknownFields() throws {
        let decoded = try OTLPTraceDecoder.decode(protobuf: Self.corpus[3])
        #expect(decoded.rejectedSpans == 2)
        #expect(decoded.errorMessage == #"span "bad parent" has an invalid parent span ID of 2 bytes"#)
        let span = try #require(decoded.spans.first)
        #expect(span.name == "renamed")
        #expect(span.status == .error(description: "merged message"))
        #expect(span.resource.serviceName == "late")
        #expect(span.resource.attributes["extra"] == .double(2.5))
        #expect(span.scope == TelemetryInstrumentationScope(name: "late-scope", version: "9.9"))
        #expect(span.attributes["http.method"] == "POST")
        #expect(span.attributes["kinds"] == .stringArray(["1", "two", "[true]", "2.5"]))
        #expect(span.attributes["map"] == .string(#"{"a\"b":3,"s":["x"]}"#))
        #expect(span.attributes["bytes"] == .string("AP8H"))
        #expect(span.attributes["strindex"] == nil)
        #expect(span.attributes["novalue"] == nil)
        #expect(span.attributes["overwritten"] == .bool(false))
        #expect(span.kind == .internal)
        #expect(decoded.spans.last?.links.count == 1)
        #expect(decoded.spans.last?.status == .ok)
    }

    @Test func everyTruncationAgrees() {
        for (index, body) in Self.corpus.enumerated() {
            var disagreements: [Int] = []
            for length in 0..<body.count where !Self.agree(Array(body.prefix(length))) { disagreements.append(length) }
            #expect(disagreements.isEmpty, "body \(index): prefixes \(disagreements.prefix(5))")
        }
    }

    @Test func seededCorruptionsAgree() {
        var random = SplitMix(seed: 6)
        var failures = 0
        var disagreements: [String] = []
        for (index, body) in Self.corpus.enumerated() where !body.isEmpty {
            for _ in 0..<400 {
                var corrupted = body
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    corrupted[Int(random.next() % UInt64(body.count))] = UInt8(truncatingIfNeeded: random.next())
                }
                if Self.handWritten(corrupted) == .failed { failures += 1 }
                if !Self.agree(corrupted) { disagreements.append("body \(index): \(corrupted)") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.first ?? "")")
        #expect(failures > 0)
    }

    @Test func malformedTagsAndVarintsThrow() {
        let bodies: [[UInt8]] = [
            [0x0A, 0x05, 0x00],  // length past the end
            [0x07, 0x00],  // wire type 7
            [0x00],  // field 0
            [0x0C],  // an end-group tag outside a group
            [0x1B, 0x0A, 0x00],  // a group that never ends
            [0x08] + Array(repeating: 0xFF, count: 11),  // an 11-byte varint
            [0x0A, 0x02, 0x2A, 0x00] + [0x0A, 0x04, 0x12, 0x02, 0x2A, 0x01],  // a scope spans field running past its message's end
        ]
        for body in bodies {
            #expect(Self.handWritten(body) == .failed, "\(body)")
            #expect(Self.generated(body) == .failed, "\(body)")
        }
    }

    @Test func invalidUTF8InAStringThrows() {
        var writer = ProtobufWriter(capacity: 64)
        writer.message(1) {
            $0.message(2) {
                $0.message(2) { span in
                    span.tag(5, wireType: 2); span.varint(2); span.bytes += [0xC3, 0x28]
                }
            }
        }
        #expect(Self.handWritten(writer.bytes) == .failed)
        #expect(Self.generated(writer.bytes) == .failed)
    }

    @Test func nestingBeyondTheDepthLimitThrowsAndShallowNestingDecodes() {
        func nested(_ depth: Int) -> [UInt8] {
            var writer = ProtobufWriter(capacity: 1024)
            writer.message(1) {
                $0.message(2) {
                    $0.message(2) { span in
                        span.span(SpanFixtures.root)
                        span.message(9) { keyValue in
                            keyValue.string(1, "deep")
                            func array(_ writer: inout ProtobufWriter, _ remaining: Int) {
                                writer.message(5) {
                                    $0.message(1) { value in
                                        if remaining > 0 { array(&value, remaining - 1) } else { value.anyValue(.int(1)) }
                                    }
                                }
                            }
                            keyValue.message(2) { array(&$0, depth) }
                        }
                    }
                }
            }
            return writer.bytes
        }
        #expect(Self.handWritten(nested(10)) != .failed)
        #expect(Self.agree(nested(10)))
        #expect(Self.handWritten(nested(200)) == .failed)
        #expect(Self.generated(nested(200)) == .failed)
    }
}

/// A seeded generator, so corruptions are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
