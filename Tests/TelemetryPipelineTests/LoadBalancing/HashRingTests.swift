import TelemetryCore
import Testing

@testable import TelemetryPipeline

/// The consistent-hash ring: balanced shares, and membership changes that move only the
/// share of the backend that came or went.
@Suite struct HashRingTests {
    static let backends = ["127.0.0.11:4317", "127.0.0.12:4317", "127.0.0.13:4317"]

    static func traceIDs(_ count: Int, seed: UInt64 = 7) -> [TraceID] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in TraceID(high: random.next(), low: random.next()) }
    }

    @Test func sharesAreWithinFifteenPercentOfEven() {
        for members in [Self.backends, ["backend-a:4317", "backend-b:4317", "backend-c:4317", "backend-d:4317", "backend-e:4317"]] {
            let ring = HashRing(members: members)
            var counts = [Int](repeating: 0, count: members.count)
            let ids = Self.traceIDs(60_000)
            for id in ids { counts[ring.owner(of: HashRing.key(id))!] += 1 }
            let even = Double(ids.count) / Double(members.count)
            for count in counts {
                #expect(abs(Double(count) - even) / even < 0.15, "shares \(counts) of \(members)")
            }
        }
    }

    @Test func theOrderOfMembersDoesNotMatter() {
        let ids = Self.traceIDs(2_000)
        let one = HashRing(members: Self.backends)
        let other = HashRing(members: Self.backends.reversed())
        #expect(ids.allSatisfy { one.member(for: HashRing.key($0)) == other.member(for: HashRing.key($0)) })
    }

    @Test func removingABackendMovesOnlyItsKeys() {
        let ids = Self.traceIDs(20_000)
        let before = HashRing(members: Self.backends)
        let after = HashRing(members: Self.backends.filter { $0 != "127.0.0.12:4317" })
        var moved = 0
        for id in ids {
            let was = before.member(for: HashRing.key(id))!
            let now = after.member(for: HashRing.key(id))!
            if was != "127.0.0.12:4317" { #expect(was == now) } else { moved += 1 }
        }
        #expect(moved > 0)
    }

    @Test func addingABackendMovesKeysOnlyToIt() {
        let ids = Self.traceIDs(20_000)
        let before = HashRing(members: Self.backends)
        let after = HashRing(members: Self.backends + ["127.0.0.14:4317"])
        var taken = 0
        for id in ids {
            let was = before.member(for: HashRing.key(id))!
            let now = after.member(for: HashRing.key(id))!
            if now == "127.0.0.14:4317" { taken += 1 } else { #expect(was == now) }
        }
        // About a quarter of the keys, not all of them reshuffled.
        #expect(Double(taken) / Double(ids.count) > 0.18 && Double(taken) / Double(ids.count) < 0.32)
    }

    @Test func anEmptyRingOwnsNothing() {
        #expect(HashRing(members: []).owner(of: 42) == nil)
        #expect(HashRing(members: ["a:1"]).member(for: .max) == "a:1")
    }

    @Test func keysArePinnedAcrossProcesses() {
        // Every routing instance must compute the same keys: fixed values, not Swift's seeded Hasher.
        #expect(HashRing.key(TraceID(high: 1, low: 2)) == HashRing.key(TraceID(high: 1, low: 2)))
        #expect(HashRing.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(HashRing.key("checkout") == HashRing.mix(HashRing.fnv1a("checkout")))
    }
}
