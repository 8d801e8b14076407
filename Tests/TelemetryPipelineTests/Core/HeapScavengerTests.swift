import Testing

@testable import TelemetryPipeline

/// The scavenger trims while resident memory stands above its low point, and not in the
/// steady state.
@Suite struct HeapScavengerTests {
    /// The decisions for resident sizes (MiB) measured one interval apart.
    static func decisions(_ residentMiB: [Int], growthMiB: Int = 32) -> [Bool] {
        var state = HeapScavenger.State(growthBytes: growthMiB << 20)
        return residentMiB.map { state.shouldTrim(resident: $0 << 20) }
    }

    @Test func trimsOnlyOnceResidentMemoryHasGrownByTheThreshold() {
        #expect(Self.decisions([70, 101, 102]) == [false, false, true])
    }

    @Test func keepsTrimmingWhileMemoryStaysHighAndStopsOnceItIsBack() {
        // Steady at 75; an outage queues spans (430, and a trim frees little of it); then they
        // are delivered and freed but held by the allocator (397: resident size does not fall
        // by itself, so the held size must not become the baseline); trimmed back to 76,
        // nothing more to do. The low point follows memory down (60), and growth counts from it.
        #expect(Self.decisions([75, 430, 397, 76, 60, 93]) == [false, true, true, false, false, true])
    }

    @Test func anUnreadableMeasurementIsNotALowPoint() {
        // 0 is what the reader returns when /proc cannot be read; taking it as the low point
        // would trim on every tick for the rest of the process's life.
        #expect(Self.decisions([80, 0, 90, 100]) == [false, false, false, false])
    }
}
