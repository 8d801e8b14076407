import ErrorAggregation
import Testing

@Suite struct FingerprintTests {
    @Test(arguments: [
        ("user 42 not found", "user <n> not found"),
        ("timeout after 1.5s", "timeout after <n>s"),
        ("order 550e8400-e29b-41d4-a716-446655440000 failed", "order <id> failed"),
        ("trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped", "trace <id> dropped"),
        ("pointer 0x7ffee4 invalid", "pointer <id> invalid"),
        ("key 'alice@example.com' rejected", "key '?' rejected"),
        (#"field "email" is invalid"#, #"field "?" is invalid"#),
        ("request req-123 failed", "request req-<n> failed"),
        ("  many   spaces\there ", "many spaces here"),
        ("don't retry", "don't retry"),
        ("deadbeef stays a word", "deadbeef stays a word"),
    ])
    func normalises(message: String, expected: String) {
        #expect(ErrorFingerprint.normalize(message) == expected)
    }

    @Test func sameShapeSameFingerprint() {
        let a = ErrorFingerprint(service: "user-service", type: .notFound, message: "user 42 not found")
        let b = ErrorFingerprint(service: "user-service", type: .notFound, message: "user 97 not found")
        let otherService = ErrorFingerprint(service: "auth-service", type: .notFound, message: "user 42 not found")
        let otherType = ErrorFingerprint(service: "user-service", type: .internal, message: "user 42 not found")
        #expect(a == b)
        #expect(a != otherService)
        #expect(a != otherType)
    }
}
