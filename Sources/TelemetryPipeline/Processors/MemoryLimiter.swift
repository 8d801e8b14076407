import Foundation
import Synchronization
import TelemetryCore

#if canImport(Glibc)
import Glibc
#endif

/// Refuses new data while the process's resident memory is above the soft limit
/// (`limit_mib - spike_limit_mib`), so receivers answer 503 with `Retry-After` instead of
/// letting the daemon grow without bound.
///
/// Above the soft limit it first hands freed heap back to the system and measures again, as
/// the Collector's limiter forces a garbage collection: the allocator keeps memory freed after
/// a burst (a backend outage's queued spans), and resident size alone would then refuse all
/// data long after the burst was delivered.
package final class MemoryLimiter: Sendable {
    /// The `memory_limiter` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// How often memory is measured (`check_interval`, default 1s).
        package var checkInterval: Duration = .seconds(1)
        /// Hard limit in MiB (`limit_mib`, default 512).
        package var limitMiB = 512
        /// Headroom below the hard limit where refusing starts (`spike_limit_mib`, default 20 % of the limit).
        package var spikeLimitMiB: Int?
        package static let `default` = Configuration()

        var softLimitBytes: Int {
            (limitMiB - (spikeLimitMiB ?? limitMiB / 5)) * 1024 * 1024
        }
    }

    let configuration: Configuration
    let residentBytes: @Sendable () -> Int
    let releaseFreeMemory: @Sendable () -> Void
    let clock: PipelineClock
    private let cache = Mutex<(measuredAt: UInt64, refusing: Bool)>((0, false))

    package init(
        configuration: Configuration, residentBytes: @escaping @Sendable () -> Int = MemoryLimiter.processResidentBytes,
        releaseFreeMemory: @escaping @Sendable () -> Void = MemoryLimiter.returnFreedHeap,
        clock: @escaping PipelineClock = WallClock.system
    ) {
        self.configuration = configuration
        self.residentBytes = residentBytes
        self.releaseFreeMemory = releaseFreeMemory
        self.clock = clock
    }

    /// Seconds a refused client should wait before retrying.
    package var retryAfterSeconds: Int { max(1, Int(configuration.checkInterval.seconds.rounded(.up))) }

    /// Whether new data must be refused now.
    package func shouldRefuse() -> Bool {
        let now = clock()
        let interval = UInt64(configuration.checkInterval.nanoseconds)
        if let cached = cache.withLock({ now &- $0.measuredAt < interval && $0.measuredAt != 0 ? $0.refusing : nil }) {
            return cached
        }
        var refusing = residentBytes() >= configuration.softLimitBytes
        if refusing {
            releaseFreeMemory()
            refusing = residentBytes() >= configuration.softLimitBytes
        }
        cache.withLock { $0 = (now, refusing) }
        return refusing
    }

    /// Returns the allocator's free pages to the system: glibc's `malloc_trim`, looked up at run
    /// time because the Glibc module does not export `malloc.h`; nothing where it is absent.
    package static let returnFreedHeap: @Sendable () -> Void = {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    /// Resident set size from `/proc/self/statm` (0 where unavailable).
    package static let processResidentBytes: @Sendable () -> Int = {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// The `memory_limiter` stage itself passes spans through; its work happens at admission.
package struct MemoryLimiterStage: SpanProcessorStage {
    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] { spans }
}
