import Testing

@testable import TelemetryPipeline

/// The scavenger trims while resident memory stands above its low point, and not in the
/// steady state.
@Suite struct HeapScavengerTests {
    static let mib = 1 << 20

    @Test func trimsOnlyOnceResidentMemoryHasGrownByTheThreshold() {
        var state = HeapScavenger.State(growthBytes: 32 * Self.mib)
        #expect(!state.shouldTrim(resident: 70 * Self.mib))
        #expect(!state.shouldTrim(resident: 101 * Self.mib))
        #expect(state.shouldTrim(resident: 102 * Self.mib))
    }

    @Test func keepsTrimmingWhileMemoryStaysHighAndStopsOnceItIsBack() {
        var state = HeapScavenger.State(growthBytes: 32 * Self.mib)
        #expect(!state.shouldTrim(resident: 75 * Self.mib))
        // An outage: queued spans hold memory, and a trim frees little of it.
        #expect(state.shouldTrim(resident: 430 * Self.mib))
        // Delivered and freed, but held by the allocator: resident size does not fall by
        // itself, so the scavenger must not take the held size as its new baseline.
        #expect(state.shouldTrim(resident: 397 * Self.mib))
        // Trimmed back to the steady state: nothing more to do.
        #expect(!state.shouldTrim(resident: 76 * Self.mib))
        // The low point follows memory down.
        #expect(!state.shouldTrim(resident: 60 * Self.mib))
        #expect(state.shouldTrim(resident: 93 * Self.mib))
    }
}
