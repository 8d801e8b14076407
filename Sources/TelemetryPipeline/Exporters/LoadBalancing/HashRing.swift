import TelemetryCore

/// A consistent-hash ring: each backend owns `virtualNodes` points on a 64-bit circle, and a
/// key belongs to the backend of the first point at or after the key's hash. Adding or
/// removing a backend moves only the keys of the arcs its points cover, about 1/N of them.
///
/// Every position comes from a fixed hash of the backend's name (never Swift's per-process
/// seeded `Hasher`), so every routing instance given the same backend names builds the same
/// ring and sends a trace's spans to the same backend.
package struct HashRing: Sendable, Equatable {
    /// Points per backend: with 3 backends, 400 points keep each share within a few percent
    /// of a third (the arc lengths' spread falls with the square root of the points).
    package static let defaultVirtualNodes = 400

    /// The backends, sorted.
    package let members: [String]
    /// Point positions, ascending, and the index in `members` owning each.
    private let positions: [UInt64]
    private let owners: [Int32]

    package init(members: [String], virtualNodes: Int = HashRing.defaultVirtualNodes) {
        let sorted = Array(Set(members)).sorted()
        var points: [(UInt64, Int32)] = []
        points.reserveCapacity(sorted.count * virtualNodes)
        for (index, member) in sorted.enumerated() {
            let base = Self.fnv1a(member)
            for node in 0..<virtualNodes {
                points.append((Self.mix(base ^ Self.mix(UInt64(node) &+ 1)), Int32(index)))
            }
        }
        // Ties (vanishingly rare) go to the smaller member index, the same on every instance.
        points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        self.members = sorted
        self.positions = points.map(\.0)
        self.owners = points.map(\.1)
    }

    package var isEmpty: Bool { members.isEmpty }

    /// The index in ``members`` of the backend owning `key`; nil for an empty ring.
    package func owner(of key: UInt64) -> Int? {
        guard !positions.isEmpty else { return nil }
        var low = 0, high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < key { low = middle + 1 } else { high = middle }
        }
        return Int(owners[low == positions.count ? 0 : low])
    }

    /// The backend owning `key`.
    package func member(for key: UInt64) -> String? { owner(of: key).map { members[$0] } }

    /// A trace ID's key. Trace IDs are random already, but not always (some clients count),
    /// so both halves are mixed.
    package static func key(_ traceID: TraceID) -> UInt64 {
        mix(traceID.high ^ mix(traceID.low))
    }

    /// A string's key, for routing by service name.
    package static func key(_ text: String) -> UInt64 { mix(fnv1a(text)) }

    /// FNV-1a, 64-bit, over the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// SplitMix64's finalizer: every input bit affects every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
