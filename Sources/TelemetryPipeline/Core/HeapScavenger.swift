import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Hands the allocator's freed pages back to the system once resident memory stands well
/// above its low point, as Go's scavenger and jemalloc's decay do on their own.
///
/// glibc keeps memory freed after a burst (a backend outage's queued spans, a run of large
/// requests) in its arenas: two minutes after an outage the daemon held 348 MB resident, and
/// `malloc_trim` took it to 73 MB. Resident size alone cannot tell memory in use from memory
/// held, so while it stands above the low point the scavenger trims once per interval. When
/// the memory is really in use, that costs one walk of the heap every ten seconds; so does a
/// daemon that started idle and then settled more than `growthBytes` above its idle size.
struct HeapScavenger: Service {
    /// How often resident memory is measured.
    var interval: Duration = .seconds(10)
    /// How far above its lowest resident memory must stand before a trim. At 32 MiB a soak's
    /// resident size crept up for twenty minutes after an outage and settled just under the
    /// threshold; at 8 MiB the creep is trimmed away while it is still small.
    var growthBytes = 8 << 20
    var residentBytes: @Sendable () -> Int = MemoryLimiter.processResidentBytes
    var release: @Sendable () -> Void = MemoryLimiter.returnFreedHeap
    /// Allocations of at least this size get pages of their own (glibc's `M_MMAP_THRESHOLD`),
    /// returned to the system when freed. An exporter queue through an outage holds encoded
    /// requests of about 100 KiB each; left to glibc, whose threshold climbs to 32 MiB after
    /// the first large free, they are carved from the heap between small long-lived values and
    /// leave it fragmented once drained. `nil` leaves glibc's setting alone.
    var mmapThresholdBytes: Int? = 64 << 10

    func run() async throws {
        if let mmapThresholdBytes { Self.setMmapThreshold(mmapThresholdBytes) }
        try? await cancelWhenGracefulShutdown {
            var state = State(growthBytes: growthBytes)
            while true {
                try await Task.sleep(for: interval)
                if state.shouldTrim(resident: residentBytes()) { release() }
            }
        }
    }

    /// Sets glibc's `M_MMAP_THRESHOLD` (which also stops its dynamic raising), looked up at
    /// run time like `malloc_trim`; nothing where it is absent.
    static func setMmapThreshold(_ bytes: Int) {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in malloc.h
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, Int32(clamping: bytes))
        #endif
    }

    /// The decision, apart from the clock: trim while resident memory is `growthBytes` above
    /// the lowest it has been. A reading of 0 (`/proc` unreadable, say out of descriptors) is
    /// no measurement and must not become the low point.
    struct State {
        let growthBytes: Int
        private(set) var lowest = Int.max

        init(growthBytes: Int) { self.growthBytes = growthBytes }

        mutating func shouldTrim(resident: Int) -> Bool {
            guard resident > 0 else { return false }
            lowest = min(lowest, resident)
            return resident - lowest >= growthBytes
        }
    }
}
