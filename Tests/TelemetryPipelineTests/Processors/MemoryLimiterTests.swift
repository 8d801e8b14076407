import Synchronization
import Testing

@testable import TelemetryPipeline

/// The limiter refuses only while memory is really in use, not while the allocator merely
/// holds pages freed after a burst.
@Suite struct MemoryLimiterTests {
    /// Resident memory that stays high until the allocator is asked to hand freed pages back.
    final class Allocator: Sendable {
        let state: Mutex<(resident: Int, inUse: Int, releases: Int)>

        init(resident: Int, inUse: Int) { state = Mutex((resident, inUse, 0)) }

        var resident: Int { state.withLock { $0.resident } }
        var releases: Int { state.withLock { $0.releases } }

        func release() {
            state.withLock { state in
                state.resident = state.inUse
                state.releases += 1
            }
        }
    }

    static let limit = MemoryLimiter.Configuration(checkInterval: .seconds(1), limitMiB: 100)

    @Test func freedButHeldMemoryIsReturnedInsteadOfRefusingData() {
        let allocator = Allocator(resident: 95 << 20, inUse: 30 << 20)
        let limiter = MemoryLimiter(
            configuration: Self.limit, residentBytes: { allocator.resident }, releaseFreeMemory: { allocator.release() }, clock: { 1 })
        #expect(!limiter.shouldRefuse())
        #expect(allocator.releases == 1)
    }

    @Test func memoryInUseIsRefusedAfterTheRelease() {
        let allocator = Allocator(resident: 95 << 20, inUse: 90 << 20)
        let limiter = MemoryLimiter(
            configuration: Self.limit, residentBytes: { allocator.resident }, releaseFreeMemory: { allocator.release() }, clock: { 1 })
        #expect(limiter.shouldRefuse())
        #expect(allocator.releases == 1)
    }

    @Test func belowTheSoftLimitNothingIsReleased() {
        let allocator = Allocator(resident: 50 << 20, inUse: 50 << 20)
        let limiter = MemoryLimiter(
            configuration: Self.limit, residentBytes: { allocator.resident }, releaseFreeMemory: { allocator.release() }, clock: { 1 })
        #expect(!limiter.shouldRefuse())
        #expect(allocator.releases == 0)
    }
}
