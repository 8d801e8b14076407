/// A small, fast, seeded random number generator (SplitMix64), so a workload can be replayed
/// from its seed.
///
/// Not for secrets: its output is predictable from the seed.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// The Weyl-sequence step: an odd constant, so the state visits all 2^64 values.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The output function: a bijection of the state, so distinct states give distinct outputs.
    @inlinable
    package static func mix(_ state: UInt64) -> UInt64 {
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
