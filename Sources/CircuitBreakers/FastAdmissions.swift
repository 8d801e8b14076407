import Synchronization

/// Closed-state admissions counted without the breaker's lock.
///
/// While the breaker is closed with no counting interval, admitting a request does nothing
/// but add one to `Counts.requests`. That one step is a compare-and-swap on a word packing
/// `[lock-free admission allowed: 1 bit][generation tag: 31 bits][requests: 32 bits]`, so the
/// common path takes the lock once per call (to record the result) instead of twice.
///
/// Every new generation, started under the lock, stores a fresh word. An admission racing a
/// state change therefore either lands in the old generation (whose counts are discarded and
/// whose result is ignored, as for any request admitted before a state change) or fails its
/// swap and tries again against the new word.
final class FastAdmissions: Sendable {
    private static let allowedBit: UInt64 = 1 << 63
    private static let tagMask: UInt64 = 0x7FFF_FFFF
    private static let countMask: UInt64 = 0xFFFF_FFFF

    private let word: Atomic<UInt64>

    init(generation: UInt64, allowed: Bool) {
        word = Atomic(Self.word(generation: generation, allowed: allowed))
    }

    /// The part of a generation number that tickets carry; wraps after 2³¹ state changes.
    @inline(__always)
    static func tag(_ generation: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: generation & tagMask)
    }

    private static func word(generation: UInt64, allowed: Bool) -> UInt64 {
        (allowed ? allowedBit : 0) | (generation & tagMask) << 32
    }

    /// Counts one admission if the current generation allows lock-free admission.
    ///
    /// - Returns: The generation tag the request was admitted in, or `nil` when the
    ///   caller must take the lock.
    @inline(__always)
    func tryAdmit() -> UInt32? {
        var current = word.load(ordering: .relaxed)
        while current & Self.allowedBit != 0 {
            let tag = UInt32(truncatingIfNeeded: (current >> 32) & Self.tagMask)
            // Counts saturate, as `Counts` does, rather than wrap into the tag.
            if current & Self.countMask == Self.countMask { return tag }
            let (exchanged, original) = word.compareExchange(
                expected: current, desired: current &+ 1, ordering: .acquiringAndReleasing
            )
            if exchanged { return tag }
            current = original
        }
        return nil
    }

    /// Starts a generation's word, discarding the previous generation's lock-free count.
    /// Called under the breaker's lock.
    func startGeneration(_ generation: UInt64, allowed: Bool) {
        word.store(Self.word(generation: generation, allowed: allowed), ordering: .releasing)
    }

    /// Requests admitted lock-free in the current generation.
    var requests: UInt32 {
        UInt32(truncatingIfNeeded: word.load(ordering: .acquiring) & Self.countMask)
    }
}
