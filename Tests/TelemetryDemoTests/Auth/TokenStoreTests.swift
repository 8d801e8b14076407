import TelemetryTesting
import Testing

@testable import TelemetryDemo

@Suite("token store")
struct TokenStoreTests {
    @Test("issued tokens verify until they expire")
    func expiry() {
        let clock = TestClock()
        let tokens = TokenStore(lifetime: .seconds(60), clock: clock, random: { 42 })
        let token = tokens.issue(for: .init(userID: 1, email: "a@example.com", role: "admin"))
        #expect(token.count == 32)
        #expect(tokens.session(for: token)?.role == "admin")
        #expect(tokens.session(for: "unknown") == nil)
        clock.advance(by: .seconds(61))
        #expect(tokens.session(for: token) == nil)
    }
}
