import Testing
@testable import TelemetryCore

@Suite struct TraceStateTests {
    @Test func parsesAndSerialises() throws {
        let state = try #require(TraceState(headerValue: "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"))
        #expect(state["rojo"] == "00f067aa0ba902b7")
        #expect(state["congo"] == "t61rcWkgMzE")
        #expect(state.headerValue == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
    }

    @Test(arguments: ["a", "=b", "A=b", "a=b,a=c", "a=b=c", "a=b ,c"])
    func rejectsMalformed(_ header: String) {
        #expect(TraceState(headerValue: header) == nil)
    }

    @Test func updateMovesEntryToFront() {
        var state = TraceState(headerValue: "a=1,b=2")!
        state.set("b", "3")
        #expect(state.headerValue == "b=3,a=1")
        state.set("a", nil)
        #expect(state.headerValue == "b=3")
    }

    @Test func acceptsTenantKeys() {
        #expect(TraceState(headerValue: "tenant@vendor=v")?["tenant@vendor"] == "v")
    }
}
