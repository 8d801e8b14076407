/// Remembers the strings read from one request, so the keys, names and values that repeat on
/// every span (`http.request.method`, a route, a span name) are validated and allocated once
/// and then shared by every span that carries them.
///
/// A small open-addressed table keyed by a hash of the bytes; a collision simply replaces
/// the older entry. Strings short enough to be stored inline in a `String` skip it, since
/// making them costs no allocation.
struct ProtobufStringTable {
    private struct Entry {
        var hash: UInt64
        var string: String
    }

    /// Longest string kept; longer ones are rarely repeated.
    static let maximumLength = 96
    /// The longest UTF-8 a `String` holds without allocating.
    static let inlineLength = 15
    private static let slotCount = 512

    private var slots: [Entry?]

    init() {
        slots = Array(repeating: nil, count: Self.slotCount)
    }

    /// The string for `bytes`, `nil` when they are not valid UTF-8.
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count > Self.inlineLength, bytes.count <= Self.maximumLength else { return Self.make(bytes) }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & (Self.slotCount - 1)
        if let entry = slots[slot], entry.hash == hash, Self.equal(entry.string, bytes) { return entry.string }
        guard let string = Self.make(bytes) else { return nil }
        slots[slot] = Entry(hash: hash, string: string)
        return string
    }

    /// A string from UTF-8, `nil` when it is not valid. ASCII, the common case, takes the
    /// specialised `String(decoding:)`; only other text pays for generic validation.
    @inline(__always)
    static func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        if combined < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let stored = string.utf8.withContiguousStorageIfAvailable { stored in
            guard stored.count == bytes.count else { return false }
            let a = UnsafeRawPointer(stored.baseAddress!)
            let b = UnsafeRawPointer(bytes.baseAddress!)
            var offset = 0
            while offset + 8 <= bytes.count {
                if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset += 8
            }
            while offset < bytes.count {
                if stored[offset] != bytes[offset] { return false }
                offset += 1
            }
            return true
        }
        return stored ?? string.utf8.elementsEqual(bytes)
    }
}
