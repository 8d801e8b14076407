import Foundation
import Logging
import Testing

@testable import TelemetryPipeline

/// The journal's segment log on a real temporary directory: what is appended and synced
/// comes back after a reopen, released records do not, and damage at the end of a segment is
/// skipped without stopping the start-up.
@Suite struct IntakeJournalTests {
    static let quiet: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "journal-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func open(_ directory: String, maxBytes: Int = 1 << 30, segmentBytes: Int = 1 << 20) throws -> IntakeJournal {
        try IntakeJournal(
            configuration: .init(directory: directory, maxBytes: maxBytes, segmentBytes: segmentBytes), logger: quiet)
    }

    /// Appends `count` records with bodies `[index, index, …]` and waits until all are synced.
    /// `eachSynced` waits for every record before the next, so each is its own write.
    static func append(_ journal: IntakeJournal, _ range: Range<Int>, eachSynced: Bool = false) async throws -> [UInt64] {
        var sequences: [UInt64] = []
        for index in range {
            guard case .accepted(let sequence) = journal.append(format: 7, body: [UInt8](repeating: UInt8(index % 256), count: 100), admit: { _ in true })
            else { throw JournalError(description: "append \(index) refused") }
            sequences.append(sequence)
            if eachSynced { #expect(await journal.waitDurable(sequence)) }
        }
        for sequence in sequences { #expect(await journal.waitDurable(sequence)) }
        return sequences
    }

    static func replayed(_ journal: IntakeJournal) async -> [(UInt64, UInt8, [UInt8])] {
        var records: [(UInt64, UInt8, [UInt8])] = []
        await journal.replay { sequence, format, body in
            records.append((sequence, format, body))
            return true
        }
        return records
    }

    static func segments(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".seg") }.sorted()
    }

    @Test func appendedRecordsAreReplayedInOrderAfterReopening() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Self.open(directory)
        #expect(journal.replayRange.isEmpty)
        #expect(try await Self.append(journal, 0..<50) == (0..<50).map(UInt64.init))
        await journal.close()

        let reopened = try Self.open(directory)
        #expect(reopened.replayRange == 0..<50)
        #expect(reopened.isReplaying)
        let records = await Self.replayed(reopened)
        #expect(records.map(\.0) == (0..<50).map(UInt64.init))
        #expect(records.allSatisfy { $0.1 == 7 && $0.2 == [UInt8](repeating: UInt8($0.0), count: 100) })
        #expect(!reopened.isReplaying)
        // New records continue the numbering.
        #expect(try await Self.append(reopened, 0..<1) == [50])
        await reopened.close()
    }

    @Test func releasedRecordsAreNotReplayedAndTheirSegmentsAreDeleted() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Self.open(directory, segmentBytes: 1_000)
        _ = try await Self.append(journal, 0..<40, eachSynced: true)
        let before = Self.segments(directory).count
        #expect(before >= 4, "records of ~117 bytes roll a 1000-byte segment every 9 records")
        journal.release(below: 30)
        await journal.close()
        #expect(Self.segments(directory).count < before)

        let reopened = try Self.open(directory, segmentBytes: 1_000)
        let records = await Self.replayed(reopened)
        #expect(records.map(\.0) == (30..<40).map(UInt64.init))
        await reopened.close()
    }

    @Test func aTruncatedTailIsSkippedAndEverythingBeforeItReplayed() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Self.open(directory)
        _ = try await Self.append(journal, 0..<10)
        await journal.close()
        // A crash mid-write: the last record lost its final 30 bytes.
        let segment = "\(directory)/\(Self.segments(directory).last!)"
        let size = try Data(contentsOf: URL(fileURLWithPath: segment)).count
        truncate(segment, off_t(size - 30))

        let reopened = try Self.open(directory)
        #expect(reopened.recovery.corruptRecords == 1)
        #expect(reopened.recovery.skippedBytes == 117 - 30)
        let records = await Self.replayed(reopened)
        #expect(records.map(\.0) == (0..<9).map(UInt64.init))
        #expect(try await Self.append(reopened, 0..<1) == [9], "numbering continues after the last intact record")
        await reopened.close()
    }

    @Test func aCorruptRecordEndsItsSegmentWithoutStoppingStartUp() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Self.open(directory)
        _ = try await Self.append(journal, 0..<10)
        await journal.close()
        // Flip one payload byte of record 5 (8-byte magic, then 117-byte records).
        let segment = "\(directory)/\(Self.segments(directory).last!)"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[8 + 5 * 117 + 16 + 40] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let reopened = try Self.open(directory)
        #expect(reopened.recovery.corruptRecords == 1)
        #expect(reopened.recovery.skippedBytes == 5 * 117)
        let records = await Self.replayed(reopened)
        #expect(records.map(\.0) == (0..<5).map(UInt64.init))
        await reopened.close()
    }

    @Test func aSegmentOfGarbageIsSkipped() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([UInt8](repeating: 0xAB, count: 500)).write(to: URL(fileURLWithPath: "\(directory)/00000000000000000000.seg"))
        let journal = try Self.open(directory)
        #expect(journal.recovery.skippedBytes == 500)
        #expect(journal.replayRange.isEmpty)
        #expect(try await Self.append(journal, 0..<3) == [0, 1, 2])
        await journal.close()
    }

    @Test func appendsBeyondTheByteBoundAreRefusedUntilRecordsAreReleased() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Room for the segment magic and 8 records of 117 bytes.
        let journal = try Self.open(directory, maxBytes: 8 + 8 * 117 + 50, segmentBytes: 300)
        _ = try await Self.append(journal, 0..<8)
        #expect(journal.append(format: 7, body: [UInt8](repeating: 0, count: 100), admit: { _ in true }) == .full)
        journal.release(below: 8)
        var accepted = false
        for _ in 0..<100 where !accepted {
            try await Task.sleep(for: .milliseconds(20))
            if case .accepted = journal.append(format: 7, body: [UInt8](repeating: 0, count: 100), admit: { _ in true }) { accepted = true }
        }
        #expect(accepted, "the writer deletes released segments within its 100 ms wake-up")
        await journal.close()
    }

    @Test func aDeclinedAdmissionAppendsNothing() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Self.open(directory)
        #expect(journal.append(format: 7, body: [1], admit: { _ in false }) == .refused)
        #expect(try await Self.append(journal, 0..<1) == [0])
        await journal.close()
        let reopened = try Self.open(directory)
        #expect(await Self.replayed(reopened).map(\.0) == [0])
        await reopened.close()
    }
}
