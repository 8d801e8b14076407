import ArgumentParser
import Testing

@testable import telemetry_tracecontext_service

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct HarnessInstructionTests {
    @Test("nested instructions decode; absent or null arguments mean none")
    func decodesTheHarnessBody() throws {
        let body = #"""
            [{"url": "http://127.0.0.1:7777/a.0", "arguments": [{"url": "http://127.0.0.1:7777/a.1", "arguments": []}]},
             {"url": "http://127.0.0.1:7777/a.2"},
             {"url": "http://127.0.0.1:7777/a.3", "arguments": null}]
            """#
        let instructions = try JSONDecoder().decode([HarnessInstruction].self, from: Data(body.utf8))
        #expect(
            instructions == [
                HarnessInstruction(url: "http://127.0.0.1:7777/a.0", arguments: [HarnessInstruction(url: "http://127.0.0.1:7777/a.1")]),
                HarnessInstruction(url: "http://127.0.0.1:7777/a.2"),
                HarnessInstruction(url: "http://127.0.0.1:7777/a.3"),
            ])
    }

    @Test("the forwarded arguments are the same instructions one level down")
    func argumentsRoundTrip() throws {
        let arguments = [HarnessInstruction(url: "http://h/x", arguments: [HarnessInstruction(url: "https://h:8443/y")])]
        let encoded = try JSONEncoder().encode(arguments)
        #expect(try JSONDecoder().decode([HarnessInstruction].self, from: encoded) == arguments)
        #expect(String(decoding: try JSONEncoder().encode([HarnessInstruction]()), as: UTF8.self) == "[]")
    }

    @Test(arguments: [
        ("http://127.0.0.1:7777/scope.0", true),
        ("HTTPS://example.com", true),
        ("http://[::1]:80/", true),
        ("ftp://example.com/", false),
        ("http:///path", false),
        ("127.0.0.1:7777/scope", false),
        ("", false),
    ])
    func acceptsOnlyHTTPURLs(url: String, usable: Bool) {
        #expect(HarnessInstruction(url: url).hasHTTPURL == usable)
    }
}

@Suite struct TraceContextServiceCommandTests {
    @Test func parsesThePortAndHost() throws {
        let command = try TraceContextServiceCommand.parse(["--port", "5000"])
        #expect(command.port == 5000)
        #expect(command.host == "127.0.0.1")
        #expect(!command.printSpans)
        let anyAddress = try TraceContextServiceCommand.parse(["--port", "0", "--host", "0.0.0.0", "--print-spans"])
        #expect(anyAddress.host == "0.0.0.0")
        #expect(anyAddress.printSpans)
    }

    @Test(arguments: [["--port", "65536"], ["--port", "-1"], ["--port", "http"], []])
    func rejectsAMissingOrImpossiblePort(arguments: [String]) {
        #expect(throws: (any Error).self) { try TraceContextServiceCommand.parse(arguments) }
    }
}
