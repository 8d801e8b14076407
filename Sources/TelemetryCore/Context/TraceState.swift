/// The W3C `tracestate`: an ordered list of vendor entries, newest first, at most 32.
public struct TraceState: Sendable, Hashable {
    /// One `key=value` entry.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in header order (most recently updated first).
    public private(set) var entries: [Entry]

    /// The W3C limit on the number of entries.
    public static let maximumEntries = 32

    /// An empty trace state.
    public init() {
        entries = []
    }

    /// Creates a trace state from entries in header order; entries beyond 32 are dropped.
    public init(entries: [Entry]) {
        self.entries = Array(entries.prefix(Self.maximumEntries))
    }

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`, if present.
    public subscript(key: String) -> String? {
        entries.first { $0.key == key }?.value
    }

    /// Sets `key` to `value` and moves it to the front, as W3C requires of an updated entry;
    /// `nil` removes it.
    public mutating func set(_ key: String, _ value: String?) {
        entries.removeAll { $0.key == key }
        if let value {
            entries.insert(Entry(key: key, value: value), at: 0)
            if entries.count > Self.maximumEntries { entries.removeLast() }
        }
    }

    /// The header value, e.g. `ot=th:8,vendor=x`.
    public var headerValue: String {
        entries.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Parses a `tracestate` header; `nil` when it is malformed, in which case W3C says to
    /// discard the whole header.
    ///
    /// Several `tracestate` fields arrive as one value joined with commas (RFC 9110 field
    /// order), so empty and whitespace-only list members are allowed and skipped. More than 32
    /// list members, or one whose key or value breaks the grammar, makes the header malformed.
    /// A repeated key keeps its first (left-most, most recently updated) value: W3C lets a
    /// vendor discard duplicates rather than the whole header.
    public init?(headerValue: some StringProtocol) {
        var entries: [Entry] = []
        var seen = Set<Substring>()
        var memberCount = 0
        for member in Substring(headerValue).split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = member.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            memberCount += 1
            guard memberCount <= Self.maximumEntries, let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals]
            let value = trimmed[trimmed.index(after: equals)...]
            guard Self.isValidKey(key), Self.isValidValue(value) else { return nil }
            if seen.insert(key).inserted {
                entries.append(Entry(key: String(key), value: String(value)))
            }
        }
        self.entries = entries
    }

    /// W3C key: `(lcalpha / DIGIT) 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@")`.
    ///
    /// The current specification folds the earlier `tenant@system` form into this one grammar,
    /// so `@` may appear anywhere after the first character, any number of times.
    static func isValidKey(_ key: Substring) -> Bool {
        guard let first = key.utf8.first, key.utf8.count <= 256, isLowercaseLetterOrDigit(first) else { return false }
        return key.utf8.allSatisfy { byte in
            isLowercaseLetterOrDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "@")
        }
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// W3C value: up to 256 printable ASCII characters except `,` and `=`, not ending in a space;
    /// leading spaces belong to the value.
    static func isValidValue(_ value: Substring) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 256, value.utf8.last != 0x20 else { return false }
        return value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x2C && $0 != 0x3D }
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
