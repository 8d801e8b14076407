import Synchronization

/// Fast, lock-free random IDs: SplitMix64 over an atomic counter seeded from the system RNG.
///
/// IDs need uniformity (consistent sampling reads the low 56 bits of the trace ID) and
/// uniqueness, not secrecy. The system generator costs a syscall per call; SplitMix64 is a
/// bijective mix of a Weyl sequence, so outputs never repeat within 2^64 draws and are
/// uniformly distributed, and one atomic add makes it safe from any thread.
public struct RandomIDGenerator: IDGenerator {
    private let state: SplitMixState

    /// Creates a generator seeded from the system's secure random source.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// Creates a generator with a fixed seed, for reproducible sequences.
    public init(seed: UInt64) {
        state = SplitMixState(seed: seed)
    }

    /// A shared generator seeded once per process.
    public static let shared = RandomIDGenerator()

    public func nextTraceID() -> TraceID {
        while true {
            let id = TraceID(high: state.next(), low: state.next())
            if id.isValid { return id }
        }
    }

    public func nextSpanID() -> SpanID {
        while true {
            let value = state.next()
            if value != 0 { return SpanID(value) }
        }
    }
}

/// The shared counter behind ``RandomIDGenerator``.
final class SplitMixState: Sendable {
    let counter: Atomic<UInt64>

    init(seed: UInt64) {
        counter = Atomic(seed)
    }

    func next() -> UInt64 {
        SplitMix64.mix(counter.wrappingAdd(SplitMix64.gamma, ordering: .relaxed).newValue)
    }
}
