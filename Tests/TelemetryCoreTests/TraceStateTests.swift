import Testing

@testable import TelemetryCore

/// `tracestate` as W3C Trace Context specifies it (the list, key and value grammars of
/// "tracestate Header Field Values" and the mutation rules of "Mutating the tracestate Field").
@Suite struct TraceStateTests {
    /// Every character the value grammar allows, a leading space included.
    private static let allValueCharacters = String(
        decoding: Array(UInt8(0x20)...0x2B) + Array(UInt8(0x2D)...0x3C) + Array(UInt8(0x3E)...0x7E),
        as: UTF8.self
    )

    @Test func parsesAndSerialises() throws {
        let state = try #require(TraceState(headerValue: "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"))
        #expect(state["rojo"] == "00f067aa0ba902b7")
        #expect(state["congo"] == "t61rcWkgMzE")
        #expect(state.headerValue == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    }

    @Test(arguments: [
        "a", "=b", "a=b=c", "a=b ,c",
        "foo=", "foo=,bar=3",  // a value has at least one character
        "foo=a\tb", "foo=caf\u{E9}",  // tab, non-ASCII
    ])
    func rejectsMalformed(_ header: String) {
        #expect(TraceState(headerValue: header) == nil)
    }

    @Test(
        "keys follow (lcalpha / DIGIT) 0*255(lcalpha / DIGIT / _ - * / @)",
        arguments: [
            "foo", "0foo", "abcdefghijklmnopqrstuvwxyz0123456789_-*/@", "foo@", "foo@@bar", "foo@bar@baz", "tenant@vendor",
            String(repeating: "z", count: 256),
            String(repeating: "t", count: 241) + "@" + String(repeating: "v", count: 14),
            String(repeating: "t", count: 242) + "@v",  // the old tenant limit no longer applies
            "t@" + String(repeating: "v", count: 15),  // nor the old system limit
        ])
    func acceptsKey(_ key: String) {
        #expect(TraceState(headerValue: "\(key)=1,bar=2")?[key] == "1")
    }

    @Test(arguments: ["@foo", "FOO", "Foo", "foo.bar", "_foo", "-foo", "*foo", "/foo", "fo o", String(repeating: "z", count: 257)])
    func rejectsKey(_ key: String) {
        #expect(TraceState(headerValue: "\(key)=1,bar=2") == nil)
    }

    @Test func valuesKeepLeadingSpacesAndLoseTrailingWhitespace() throws {
        let state = try #require(TraceState(headerValue: "foo=\(Self.allValueCharacters)\t ,bar= x "))
        #expect(state["foo"] == Self.allValueCharacters)
        #expect(state["bar"] == " x")
    }

    @Test func valueLengthIsAtMost256() {
        #expect(TraceState(headerValue: "foo=" + String(repeating: "v", count: 256)) != nil)
        #expect(TraceState(headerValue: "foo=" + String(repeating: "v", count: 257)) == nil)
    }

    @Test func thirtyTwoMembersAreAllowedAndThirtyThreeDropTheHeader() throws {
        let members = (1...33).map { "bar\($0)=\($0)" }
        let full = try #require(TraceState(headerValue: members.prefix(32).joined(separator: ",")))
        #expect(full.entries.count == 32)
        #expect(full.entries.first?.key == "bar1")
        #expect(TraceState(headerValue: members.joined(separator: ",")) == nil)
    }

    @Test("empty and whitespace-only members are allowed (fields joined by RFC 9110) and do not count")
    func emptyMembersAreSkipped() throws {
        #expect(TraceState(headerValue: "")?.isEmpty == true)
        #expect(TraceState(headerValue: " \t ")?.isEmpty == true)
        let state = try #require(TraceState(headerValue: ", foo=1 \t , \t bar=2,, \t,baz=3,"))
        #expect(state.headerValue == "foo=1,bar=2,baz=3")
        let padded = (1...32).map { "k\($0)=v" }.joined(separator: ", ,")
        #expect(TraceState(headerValue: padded)?.entries.count == 32)
    }

    @Test("a repeated key keeps its left-most value instead of dropping the header")
    func duplicateKeysKeepTheFirst() throws {
        #expect(TraceState(headerValue: "foo=1,foo=1")?.headerValue == "foo=1")
        #expect(TraceState(headerValue: "foo=1,bar=2,foo=3")?.headerValue == "foo=1,bar=2")
        // Repeats still count as list members toward the limit of 32.
        let repeated = (1...32).map { "k\($0)=v" }.joined(separator: ",") + ",k1=w"
        #expect(TraceState(headerValue: repeated) == nil)
    }

    @Test func updateMovesEntryToFrontAndKeepsTheRestInOrder() {
        var state = TraceState(headerValue: "a=1,b=2,c=3")!
        state.set("b", "4")
        #expect(state.headerValue == "b=4,a=1,c=3")
        state.set("d", "5")
        #expect(state.headerValue == "d=5,b=4,a=1,c=3")
        state.set("a", nil)
        #expect(state.headerValue == "d=5,b=4,c=3")
    }

    @Test("adding a 33rd entry removes the right-most one")
    func addingBeyondTheLimitDropsTheRightMost() throws {
        var state = try #require(TraceState(headerValue: (1...32).map { "k\($0)=v" }.joined(separator: ",")))
        state.set("ours", "x")
        #expect(state.entries.count == 32)
        #expect(state.entries.first == TraceState.Entry(key: "ours", value: "x"))
        #expect(state["k31"] == "v")
        #expect(state["k32"] == nil)
        // Updating an existing entry at the limit removes nothing else.
        state.set("k31", "y")
        #expect(state.entries.count == 32)
        #expect(state.entries.prefix(2).map(\.key) == ["k31", "ours"])
        #expect(TraceState(entries: (1...40).map { TraceState.Entry(key: "k\($0)", value: "v") }).entries.count == 32)
    }
}
