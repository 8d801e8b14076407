/// Appends thrift binary-protocol values to one growing byte buffer.
///
/// Only what jaeger.thrift needs: field headers, scalars, strings and list headers.
/// Structs are written inline by their callers, ending with `writeStop()`.
///
/// The buffer is raw memory rather than an `[UInt8]` being appended to: every write is one
/// capacity check and plain stores, with none of `Array.append`'s uniqueness checks. The
/// encoder sizes a batch first and writes straight into the result array's storage, so a
/// batch costs one allocation and no copy.
struct ThriftWriter: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count: Int
    /// Whether `base` was allocated here, and so is freed here.
    private var ownsStorage: Bool

    /// A writer with storage of its own, growing as needed.
    init(capacity: Int = 0) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 8)
        count = 0
        ownsStorage = true
    }

    /// A writer that fills `buffer` (an array's uninitialised storage, say) and moves to
    /// storage of its own only if `buffer` turns out too small.
    init(into buffer: UnsafeMutableRawBufferPointer) {
        if let address = buffer.baseAddress, buffer.count > 0 {
            base = address
            capacity = buffer.count
            ownsStorage = false
        } else {
            capacity = 64
            base = .allocate(byteCount: capacity, alignment: 8)
            ownsStorage = true
        }
        count = 0
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    /// Whether every byte so far went into the buffer given to `init(into:)`.
    var isWritingIntoGivenBuffer: Bool {
        !ownsStorage
    }

    /// A copy of the bytes written so far.
    var bytes: [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    // MARK: Capacity

    /// Makes room for `needed` more bytes.
    @inline(__always)
    mutating func reserve(_ needed: Int) {
        if _slowPath(capacity &- count < needed) { grow(needed) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        let newCapacity = max(capacity &* 2, count &+ needed)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newBase.copyMemory(from: base, byteCount: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    // MARK: Unchecked stores: only after `reserve` made room for them

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// A field header (type, big-endian id) as one 3-byte store sequence.
    @inline(__always)
    mutating func putFieldHeader(_ type: ThriftType, _ id: Int16) {
        base.storeBytes(of: type.rawValue, toByteOffset: count, as: UInt8.self)
        base.storeBytes(of: id.bigEndian, toByteOffset: count &+ 1, as: Int16.self)
        count &+= 3
    }

    @inline(__always)
    mutating func putI32(_ value: Int32) {
        base.storeBytes(of: value.bigEndian, toByteOffset: count, as: Int32.self)
        count &+= 4
    }

    @inline(__always)
    mutating func putI64(_ value: Int64) {
        base.storeBytes(of: value.bigEndian, toByteOffset: count, as: Int64.self)
        count &+= 8
    }

    @inline(__always)
    mutating func putBytes(_ source: UnsafeRawBufferPointer) {
        guard let address = source.baseAddress, !source.isEmpty else { return }
        (base + count).copyMemory(from: address, byteCount: source.count)
        count &+= source.count
    }

    // MARK: Protocol values

    @inline(__always)
    mutating func writeFieldHeader(_ type: ThriftType, id: Int16) {
        reserve(3)
        putFieldHeader(type, id)
    }

    @inline(__always)
    mutating func writeStop() {
        reserve(1)
        put(ThriftType.stop.rawValue)
    }

    @inline(__always)
    mutating func writeListHeader(_ elementType: ThriftType, count elements: Int) {
        reserve(5)
        put(elementType.rawValue)
        putI32(Int32(truncatingIfNeeded: elements))
    }

    /// Writes a list header whose size is not known yet; returns where to patch it.
    @inline(__always)
    mutating func writeListHeaderToPatch(_ elementType: ThriftType) -> Int {
        reserve(5)
        put(elementType.rawValue)
        let position = count
        putI32(0)
        return position
    }

    /// Overwrites a 4-byte big-endian size written earlier.
    @inline(__always)
    mutating func patchI32(_ value: Int32, at position: Int) {
        precondition(position >= 0 && position &+ 4 <= count)
        base.storeBytes(of: value.bigEndian, toByteOffset: position, as: Int32.self)
    }

    @inline(__always)
    mutating func writeI32(_ value: Int32, id: Int16) {
        reserve(7)
        putFieldHeader(.i32, id)
        putI32(value)
    }

    @inline(__always)
    mutating func writeI64(_ value: Int64, id: Int16) {
        reserve(11)
        putFieldHeader(.i64, id)
        putI64(value)
    }

    @inline(__always)
    mutating func writeDouble(_ value: Double, id: Int16) {
        reserve(11)
        putFieldHeader(.double, id)
        putI64(Int64(bitPattern: value.bitPattern))
    }

    @inline(__always)
    mutating func writeBool(_ value: Bool, id: Int16) {
        reserve(4)
        putFieldHeader(.bool, id)
        put(value ? 1 : 0)
    }

    /// A string field: header, big-endian byte length, UTF-8 bytes.
    @inline(__always)
    mutating func writeString(_ value: String, id: Int16) {
        let utf8 = value.utf8
        let length = utf8.count
        reserve(7 &+ length)
        putFieldHeader(.string, id)
        putI32(Int32(truncatingIfNeeded: length))
        putUTF8(utf8, length: length)
    }

    /// A string's big-endian byte length and UTF-8 bytes, unchecked.
    @inline(__always)
    mutating func putString(_ utf8: String.UTF8View, length: Int) {
        putI32(Int32(truncatingIfNeeded: length))
        putUTF8(utf8, length: length)
    }

    /// Appends `length` UTF-8 bytes; room is reserved by the caller.
    @inline(__always)
    mutating func putUTF8(_ utf8: String.UTF8View, length: Int) {
        let copied: Void? = utf8.withContiguousStorageIfAvailable { putBytes(UnsafeRawBufferPointer($0)) }
        if copied == nil {
            var offset = count
            for byte in utf8 {
                base.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                offset &+= 1
            }
            count = offset
        }
    }

    // MARK: Bare values, without a field header (map and set elements, hand-built input)

    mutating func writeI32Raw(_ value: Int32) {
        reserve(4)
        putI32(value)
    }

    mutating func writeStringRaw(_ value: String) {
        let utf8 = value.utf8
        let length = utf8.count
        reserve(4 &+ length)
        putString(utf8, length: length)
    }

    mutating func writeBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            reserve(raw.count)
            putBytes(raw)
        }
    }
}
