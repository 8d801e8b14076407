import Foundation
import Testing

@testable import TelemetryPipeline

/// The watermark that decides when journal records may go: not while a stage holds spans
/// that arrived with them, nor while an exporter request tagged with them is unsettled.
@Suite struct PipelineDurabilityTests {
    /// Appends `count` records through `durability`, as the intake does, and waits for them.
    static func appendRecords(_ durability: PipelineDurability, _ count: Int) async {
        for _ in 0..<count {
            guard
                case .accepted(let sequence) = durability.journal.append(
                    format: 0, body: [1, 2, 3],
                    admit: { sequence in
                        durability.enqueued(sequence)
                        return true
                    })
            else { Issue.record("append refused"); return }
            #expect(await durability.journal.waitDurable(sequence))
        }
    }

    /// Where a reopened journal would start replaying.
    static func replayStart(_ directory: String, _ durability: PipelineDurability) async throws -> UInt64 {
        await durability.journal.close()
        let reopened = try IntakeJournalTests.open(directory)
        let start = reopened.replayRange.lowerBound
        await reopened.close()
        return start
    }

    @Test func recordsStayWhileAStageHoldsTheirSpansOrAnExportIsUnsettled() async throws {
        let directory = IntakeJournalTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let durability = PipelineDurability(journal: try IntakeJournalTests.open(directory)) { _, _ in [] }
        await Self.appendRecords(durability, 5)

        // Iteration at t=100 takes records 0...4; a batch stage keeps spans that arrived then.
        #expect(durability.beginIteration(now: 100, taken: 5) == 0)
        durability.endIteration(oldestHeldArrival: 100)
        // At t=200 the stage releases them to an exporter, tagged with the floor, 0.
        let tag = durability.beginIteration(now: 200, taken: 0)
        #expect(tag == 0)
        let hold = DurabilityHold(holds: durability.holds, tag: tag)
        hold.retain()
        durability.endIteration(oldestHeldArrival: nil)
        #expect(try await Self.replayStart(directory, durability) == 0, "the export is not settled")

        let reopened = PipelineDurability(journal: try IntakeJournalTests.open(directory)) { _, _ in [] }
        #expect(reopened.journal.replayRange == 0..<5)
        await reopened.journal.replay { sequence, _, _ in
            reopened.enqueued(sequence)
            return true
        }
        _ = reopened.beginIteration(now: 300, taken: 5)
        reopened.endIteration(oldestHeldArrival: nil)
        #expect(try await Self.replayStart(directory, reopened) == 5, "nothing holds the records any more")
    }

    @Test func theFloorFollowsTheOldestHeldArrival() async throws {
        let directory = IntakeJournalTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let durability = PipelineDurability(journal: try IntakeJournalTests.open(directory)) { _, _ in [] }
        await Self.appendRecords(durability, 6)
        _ = durability.beginIteration(now: 100, taken: 2)  // records 0, 1
        durability.endIteration(oldestHeldArrival: nil)
        _ = durability.beginIteration(now: 200, taken: 3)  // records 2, 3, 4, held from here on
        durability.endIteration(oldestHeldArrival: 200)
        #expect(durability.beginIteration(now: 300, taken: 1) == 2)  // record 5
        durability.endIteration(oldestHeldArrival: 200)
        #expect(try await Self.replayStart(directory, durability) == 2)
    }
}
