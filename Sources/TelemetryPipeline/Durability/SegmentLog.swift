import Foundation

/// An append-only log of numbered records split into segment files, the storage under
/// ``IntakeJournal``. Not thread-safe: one owner (the journal's writer thread) calls it.
///
/// A segment is `NNNNNNNNNNNNNNNNNNNN.seg`, named after its first record's sequence number,
/// and starts with an 8-byte magic. Each record is a 16-byte header (payload length and
/// CRC-32C, both little-endian `UInt32`, then the sequence number as `UInt64`) and the
/// payload; the checksum covers the payload and then the sequence number, so a torn write, a
/// truncated tail or a record from another place is caught. A file `acked` holds the lowest
/// sequence number still needed; records below it are skipped on replay. Segments whose
/// records are all below it are deleted.
struct SegmentLog {
    struct Segment {
        var path: String
        var firstSequence: UInt64
        var lastSequence: UInt64
        var bytes: Int
    }

    /// What reading the log at start-up found.
    struct Recovery: Equatable {
        /// Records at or above the acknowledged mark, to replay.
        var records = 0
        /// Records with a bad checksum, length or position, and the bytes after them that
        /// were given up on (a crash mid-write leaves one torn record at a segment's end).
        var corruptRecords = 0
        var skippedBytes = 0
    }

    static let magic: [UInt8] = Array("TPJRNL1\n".utf8)
    static let headerSize = 16
    /// Longest payload read back; a corrupt length above it ends the segment.
    static let maximumPayload = 64 << 20

    let directory: String
    let segmentBytes: Int
    private(set) var segments: [Segment] = []
    /// Sequence numbers below this were acknowledged (the `acked` file).
    private(set) var acknowledged: UInt64 = 0
    private(set) var nextSequence: UInt64 = 0
    private(set) var recovery = Recovery()
    private var active: (descriptor: Int32, index: Int)?

    /// Opens (creating) the directory and scans every segment.
    init(directory: String, segmentBytes: Int) throws {
        self.directory = directory
        self.segmentBytes = segmentBytes
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let text = try? String(contentsOfFile: ackPath, encoding: .utf8), let value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            acknowledged = value
        }
        nextSequence = acknowledged
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".seg") }.sorted()
        for name in names {
            let path = "\(directory)/\(name)"
            var last: UInt64?
            var first: UInt64?
            var replayable = 0
            let mark = acknowledged
            let scan = Self.scan(path: path) { sequence, _ in
                if first == nil { first = sequence }
                last = sequence
                if sequence >= mark { replayable += 1 }
            }
            recovery.records += replayable
            recovery.corruptRecords += scan.corrupt ? 1 : 0
            recovery.skippedBytes += scan.skippedBytes
            guard let first, let last, last >= acknowledged else {
                unlink(path)
                continue
            }
            segments.append(Segment(path: path, firstSequence: first, lastSequence: last, bytes: scan.fileBytes))
            nextSequence = max(nextSequence, last + 1)
        }
    }

    var ackPath: String { "\(directory)/acked" }
    var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    /// Calls `body` with every intact record at or above the acknowledged mark, in order, of
    /// the segments that existed when the log was opened (records written later are not replayed).
    static func replay(
        _ segments: [Segment], from acknowledged: UInt64, below end: UInt64, _ body: (UInt64, ArraySlice<UInt8>) -> Void
    ) {
        for segment in segments where segment.lastSequence >= acknowledged && segment.firstSequence < end {
            _ = scan(path: segment.path) { sequence, payload in
                if sequence >= acknowledged && sequence < end { body(sequence, payload) }
            }
        }
    }

    /// Appends encoded records (see ``encode``) whose sequence numbers run from `first` to
    /// `last`, opening a new segment when the active one is full, and optionally syncs them.
    mutating func append(_ bytes: [UInt8], first: UInt64, last: UInt64, sync: Bool) throws {
        if let current = active, segments[current.index].bytes >= segmentBytes {
            Self.closeDescriptor(current.descriptor)
            active = nil
        }
        if active == nil {
            let path = "\(directory)/\(String(format: "%020llu", first)).seg"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw JournalError.io("cannot create \(path)", errno) }
            try Self.writeAll(descriptor, Self.magic)
            // The new file's name must survive a crash too, or its records are unreachable.
            if sync { syncDirectory() }
            segments.append(Segment(path: path, firstSequence: first, lastSequence: last, bytes: Self.magic.count))
            active = (descriptor, segments.count - 1)
        }
        let current = active!
        try Self.writeAll(current.descriptor, bytes)
        if sync, fdatasync(current.descriptor) != 0 { throw JournalError.io("fdatasync failed", errno) }
        segments[current.index].lastSequence = last
        segments[current.index].bytes += bytes.count
        nextSequence = max(nextSequence, last + 1)
    }

    /// Records that everything below `sequence` is acknowledged and deletes segments holding
    /// nothing else. The mark is written without a sync: a stale one only means duplicates.
    mutating func release(below sequence: UInt64) {
        guard sequence > acknowledged else { return }
        acknowledged = sequence
        var kept: [Segment] = []
        var activeIndex: Int?
        for (index, segment) in segments.enumerated() {
            let isActive = active?.index == index
            if segment.lastSequence < sequence {
                if isActive, let current = active {
                    Self.closeDescriptor(current.descriptor)
                    active = nil
                }
                unlink(segment.path)
            } else {
                if isActive { activeIndex = kept.count }
                kept.append(segment)
            }
        }
        segments = kept
        if let activeIndex, let current = active { active = (current.descriptor, activeIndex) }
        let temporary = ackPath + ".tmp"
        if FileManager.default.createFile(atPath: temporary, contents: Data("\(sequence)\n".utf8)) {
            rename(temporary, ackPath)
        }
    }

    mutating func closeActive() {
        if let current = active { Self.closeDescriptor(current.descriptor) }
        active = nil
    }

    private static func closeDescriptor(_ descriptor: Int32) {
        _ = close(descriptor)
    }

    /// One record's bytes: header, then the payload.
    static func encode(sequence: UInt64, payloadChecksum: UInt32, payloadLength: Int, into buffer: inout [UInt8]) {
        var sequenceLE = sequence.littleEndian
        let checksum = withUnsafeBytes(of: &sequenceLE) { CRC32C.checksum($0, continuing: payloadChecksum) }
        append(UInt32(payloadLength), to: &buffer)
        append(checksum, to: &buffer)
        withUnsafeBytes(of: &sequenceLE) { buffer.append(contentsOf: $0) }
    }

    private static func append(_ value: UInt32, to buffer: inout [UInt8]) {
        var little = value.littleEndian
        withUnsafeBytes(of: &little) { buffer.append(contentsOf: $0) }
    }

    struct Scan {
        var fileBytes = 0
        var corrupt = false
        var skippedBytes = 0
    }

    /// Reads a segment's intact records in order; stops at the first bad one, since a length
    /// that cannot be trusted leaves nothing after it to find.
    static func scan(path: String, _ body: (UInt64, ArraySlice<UInt8>) -> Void) -> Scan {
        guard let data = FileManager.default.contents(atPath: path) else { return Scan() }
        let bytes = [UInt8](data)
        var result = Scan(fileBytes: bytes.count)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            result.corrupt = !bytes.isEmpty
            result.skippedBytes = bytes.count
            return result
        }
        var offset = magic.count
        var previous: UInt64?
        while offset < bytes.count {
            guard bytes.count - offset >= headerSize else { break }
            let length = Int(readUInt32(bytes, offset))
            let stored = readUInt32(bytes, offset + 4)
            let sequence = readUInt64(bytes, offset + 8)
            let start = offset + headerSize
            guard length <= maximumPayload, bytes.count - start >= length else { break }
            let payload = bytes[start..<(start + length)]
            var checksum = payload.withUnsafeBytes { CRC32C.checksum($0) }
            checksum = bytes[(offset + 8)..<start].withUnsafeBytes { CRC32C.checksum($0, continuing: checksum) }
            guard checksum == stored, previous.map({ sequence > $0 }) ?? true else { break }
            body(sequence, payload)
            previous = sequence
            offset = start + length
        }
        if offset < bytes.count {
            result.corrupt = true
            result.skippedBytes = bytes.count - offset
        }
        return result
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private static func readUInt64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw JournalError.io("write failed", errno)
                }
                offset += written
            }
        }
    }

    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        Self.closeDescriptor(descriptor)
    }
}

/// A journal that could not be opened or written.
package struct JournalError: Error, CustomStringConvertible {
    package let description: String

    static func io(_ what: String, _ code: Int32) -> Self {
        JournalError(description: "\(what): \(String(cString: strerror(code)))")
    }
}
