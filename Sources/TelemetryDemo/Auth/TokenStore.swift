import Synchronization

/// Bearer tokens the auth-service has issued, with their holder and expiry.
final class TokenStore: Sendable {
    struct Session: Codable, Sendable, Hashable {
        var userID: Int64
        var email: String
        var role: String

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email, role
        }
    }

    private struct Entry {
        var session: Session
        var expires: Duration
    }

    let lifetime: Duration
    let capacity: Int
    private let tokens = Mutex<[String: Entry]>([:])
    private let elapsed: @Sendable () -> Duration
    private let random: @Sendable () -> UInt64

    init<C: Clock<Duration>>(
        lifetime: Duration = .seconds(3600),
        capacity: Int = 10_000,
        clock: C = ContinuousClock(),
        random: @escaping @Sendable () -> UInt64 = { UInt64.random(in: .min ... .max) }
    ) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.random = random
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    func issue(for session: Session) -> String {
        let token = Self.hex(random()) + Self.hex(random())
        let now = elapsed()
        tokens.withLock { tokens in
            if tokens.count >= capacity {
                tokens = tokens.filter { $0.value.expires > now }
                // Still full of live tokens: forget the ones closest to expiry.
                if tokens.count >= capacity {
                    for key in tokens.sorted(by: { $0.value.expires < $1.value.expires }).prefix(capacity / 10 + 1).map(\.key) {
                        tokens[key] = nil
                    }
                }
            }
            tokens[token] = Entry(session: session, expires: now + lifetime)
        }
        return token
    }

    func session(for token: String) -> Session? {
        let now = elapsed()
        return tokens.withLock { tokens in
            guard let entry = tokens[token] else { return nil }
            guard entry.expires > now else {
                tokens[token] = nil
                return nil
            }
            return entry.session
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
