import HTTPTypes
import NIOCore
import TelemetryCore
import Testing

@testable import telemetry_tracecontext_service

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The service end to end on loopback: what the W3C harness checks, without the harness.
@Suite struct TraceContextTestServiceTests {
    private static let traceID = "12345678901234567890123456789012"
    private static let parentID = "1234567890123456"

    private static func oneCallback(_ echoBase: String) -> String {
        #"[{"url": "\#(echoBase)/0", "arguments": []}]"#
    }

    /// The parts of a `traceparent` the harness's own regex accepts, or `nil`.
    private static func fields(of traceparent: String) -> (version: Substring, traceID: Substring, parentID: Substring, flags: Substring)? {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        let lowerHex = { (part: Substring, count: Int) in
            part.utf8.count == count && part.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
        guard parts.count == 4, lowerHex(parts[0], 2), lowerHex(parts[1], 32), lowerHex(parts[2], 16), lowerHex(parts[3], 2)
        else { return nil }
        return (parts[0], parts[1], parts[2], parts[3])
    }

    private static func firstTraceparent(
        of callback: ReceivedCallback
    ) throws -> (version: Substring, traceID: Substring, parentID: Substring, flags: Substring) {
        let header = try #require(callback.traceparent.first)
        return try #require(fields(of: header))
    }

    @Test("the callback continues the caller's trace with a new parent ID, the same flags and the tracestate", arguments: ["00", "01", "02", "03"])
    func continuesTheCallersTrace(flags: String) async throws {
        let exchange = try await ServiceExchange.run(
            headers: [
                ("traceparent", "00-\(Self.traceID)-\(Self.parentID)-\(flags)"),
                ("tracestate", "foo=1,bar=2"),
            ],
            body: Self.oneCallback
        )
        #expect(exchange.status == .ok)
        let callback = try #require(exchange.callbacks.first)
        #expect(exchange.callbacks.count == 1)
        #expect(callback.path == "/callback/0")
        #expect(callback.body == "[]")
        #expect(callback.traceparent.count == 1)
        let outgoing = try Self.firstTraceparent(of: callback)
        #expect(outgoing.version == "00")
        #expect(outgoing.traceID == Self.traceID)
        #expect(outgoing.parentID != Self.parentID)
        #expect(outgoing.flags == flags)
        #expect(callback.tracestate == ["foo=1,bar=2"])

        let sampled = flags == "01" || flags == "03"
        if sampled {
            // The outgoing parent is the client span, child of the server span, child of the caller.
            let client = try #require(exchange.spans.first { $0.kind == .client })
            let server = try #require(exchange.spans.first { $0.kind == .server })
            #expect(client.spanID.hexString == outgoing.parentID)
            #expect(client.parentSpanID == server.spanID)
            #expect(server.parentSpanID?.hexString == Self.parentID)
        } else {
            #expect(exchange.spans.allSatisfy { !$0.traceFlags.contains(.sampled) })
        }
    }

    @Test(
        "an invalid or repeated traceparent restarts the trace and drops the tracestate",
        arguments: [
            [("traceparent", "00-1234567890ABCDEF1234567890123456-1234567890123456-01")],  // uppercase
            [("traceparent", "ff-12345678901234567890123456789012-1234567890123456-01")],  // version ff
            [("traceparent", "00-12345678901234567890123456789012-1234567890123456-01-extra")],  // 00 has no more fields
            [("traceparent", "00-12345678901234567890123456789012-0000000000000000-01")],  // zero parent ID
            [
                ("traceparent", "00-12345678901234567890123456789012-1234567890123456-01"),
                ("traceparent", "00-21098765432109876543210987654321-1234567890123456-01"),
            ],
        ])
    func restartsTheTrace(traceparents: [(String, String)]) async throws {
        let exchange = try await ServiceExchange.run(headers: traceparents + [("tracestate", "foo=1")], body: Self.oneCallback)
        let callback = try #require(exchange.callbacks.first)
        let outgoing = try Self.firstTraceparent(of: callback)
        #expect(callback.traceparent.count == 1)
        #expect(outgoing.traceID != Self.traceID)
        #expect(outgoing.traceID != "21098765432109876543210987654321")
        // A new root: sampled by the parent-based sampler's root, and random (W3C Level 2).
        #expect(outgoing.flags == "03")
        #expect(callback.tracestate.isEmpty)
    }

    @Test("several tracestate fields are combined in order, empty ones skipped")
    func combinesTracestateFields() async throws {
        let exchange = try await ServiceExchange.run(
            headers: [
                ("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01"),
                ("tracestate", "foo=1,bar=2"),
                ("tracestate", ""),
                ("tracestate", " rojo=1 ,\t congo=2"),
            ],
            body: Self.oneCallback
        )
        let callback = try #require(exchange.callbacks.first)
        #expect(callback.tracestate == ["foo=1,bar=2,rojo=1,congo=2"])
    }

    @Test("a tracestate of 33 members across fields is dropped; the trace continues")
    func dropsAnOverlongTracestate() async throws {
        let members = (1...33).map { "bar\($0)=\($0)" }
        let exchange = try await ServiceExchange.run(
            headers: [
                ("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01"),
                ("tracestate", members[..<20].joined(separator: ",")),
                ("tracestate", members[20...].joined(separator: ",")),
            ],
            body: Self.oneCallback
        )
        let callback = try #require(exchange.callbacks.first)
        #expect(try Self.firstTraceparent(of: callback).traceID == Self.traceID)
        #expect(callback.tracestate.isEmpty)
    }

    @Test("every instruction is followed in order, each callback with its own parent ID and its nested arguments")
    func followsEveryInstruction() async throws {
        let exchange = try await ServiceExchange.run(
            headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentID)-01")],
            body: { echo in
                #"[{"url": "\#(echo)/0", "arguments": [{"url": "http://127.0.0.1:1/next", "arguments": []}]}, {"url": "\#(echo)/1"}]"#
            }
        )
        #expect(exchange.status == .ok)
        #expect(exchange.callbacks.map(\.path) == ["/callback/0", "/callback/1"])
        let forwarded = try JSONDecoder().decode([HarnessInstruction].self, from: Data(exchange.callbacks[0].body.utf8))
        #expect(forwarded == [HarnessInstruction(url: "http://127.0.0.1:1/next")])
        #expect(exchange.callbacks[1].body == "[]")
        let outgoing = exchange.callbacks.compactMap { $0.traceparent.first.flatMap(Self.fields(of:)) }
        #expect(outgoing.count == 2)
        #expect(Set(outgoing.map(\.traceID)) == [Substring(Self.traceID)])
        #expect(Set(outgoing.map(\.parentID)).count == 2)
    }

    @Test(
        "a body that is not a list of instructions with http(s) URLs is a 400, and nothing is called",
        arguments: [
            "{",
            #"{"url": "http://127.0.0.1:1/"}"#,
            #"[{"arguments": []}]"#,
            #"[{"url": "ftp://127.0.0.1/file"}]"#,
            #"[{"url": "http:///no-host"}]"#,
        ])
    func rejectsAMalformedBody(body: String) async throws {
        let exchange = try await ServiceExchange.run(headers: [], body: { _ in body })
        #expect(exchange.status == .badRequest)
        #expect(exchange.callbacks.isEmpty)
    }

    @Test("a callback that cannot be delivered is a 502")
    func unreachableCallbackIsABadGateway() async throws {
        // Nothing listens on port 0; the client retries refused connections until its deadline.
        let exchange = try await ServiceExchange.run(headers: [], callbackTimeout: .milliseconds(300)) { _ in
            #"[{"url": "http://127.0.0.1:0/gone"}]"#
        }
        #expect(exchange.status == .badGateway)
    }
}
