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
    /// discard it. Empty list members are allowed and skipped.
    public init?(headerValue: some StringProtocol) {
        var entries: [Entry] = []
        var seen = Set<Substring>()
        for member in Substring(headerValue).split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = member.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = trimmed[..<equals]
            let value = trimmed[trimmed.index(after: equals)...]
            guard Self.isValidKey(key), Self.isValidValue(value), seen.insert(key).inserted else { return nil }
            entries.append(Entry(key: String(key), value: String(value)))
        }
        guard entries.count <= Self.maximumEntries else { return nil }
        self.entries = entries
    }

    /// W3C key: `[a-z0-9][_0-9a-z\-*/]{0,255}` or `tenant@system` with a shorter tenant and system.
    static func isValidKey(_ key: Substring) -> Bool {
        guard !key.isEmpty, key.utf8.count <= 256 else { return false }
        func isKeyChar(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D || c == 0x2A || c == 0x2F
        }
        let parts = key.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let first = parts[0].first, (first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39) else {
                return false
            }
            return parts[0].allSatisfy(isKeyChar)
        case 2:
            let tenant = parts[0]
            let system = parts[1]
            guard !tenant.isEmpty, tenant.count <= 241, !system.isEmpty, system.count <= 14,
                  let systemFirst = system.first, systemFirst >= 0x61 && systemFirst <= 0x7A
            else { return false }
            return tenant.allSatisfy(isKeyChar) && system.allSatisfy(isKeyChar)
        default:
            return false
        }
    }

    /// W3C value: up to 256 printable ASCII characters except `,` and `=`, not ending in a space.
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
