import TelemetryCore
import Tracing

/// W3C baggage: application key–value pairs that travel with a request across services.
public struct Baggage: Sendable, Hashable {
    /// One `key=value;properties` member.
    public struct Entry: Sendable, Hashable {
        /// The key, a token.
        public var key: String
        /// The value, unencoded.
        public var value: String
        /// Properties after the first `;`, kept verbatim.
        public var metadata: String?

        /// Creates an entry.
        public init(key: String, value: String, metadata: String? = nil) {
            self.key = key
            self.value = value
            self.metadata = metadata
        }
    }

    /// The entries in header order.
    public private(set) var entries: [Entry]

    /// The most members W3C requires to be propagated.
    public static let maximumEntries = 180
    /// The most bytes W3C requires to be propagated.
    public static let maximumHeaderLength = 8192

    /// Empty baggage.
    public init() {
        entries = []
    }

    /// The value for `key`, if any.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// The `baggage` header value; members that would push it past 8192 bytes are left out.
    public var headerValue: String {
        var result = ""
        for entry in entries.prefix(Self.maximumEntries) {
            var member = entry.key + "=" + PercentEncoding.encode(entry.value)
            if let metadata = entry.metadata { member += ";" + metadata }
            let separator = result.isEmpty ? 0 : 1
            guard result.utf8.count + separator + member.utf8.count <= Self.maximumHeaderLength else { break }
            if separator == 1 { result += "," }
            result += member
        }
        return result
    }

    /// Parses a `baggage` header; malformed members are skipped, and `nil` means no valid member.
    public init?(headerValue: some StringProtocol) {
        var entries: [Entry] = []
        for member in Substring(headerValue).split(separator: ",") {
            let parts = member.split(separator: ";", maxSplits: 1)
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let key = pair[..<equals].trimmed()
            let rawValue = pair[pair.index(after: equals)...].trimmed()
            guard !key.isEmpty, key.utf8.allSatisfy(Self.isTokenByte),
                let value = PercentEncoding.decode(rawValue)
            else { continue }
            let metadata = parts.count > 1 ? String(parts[1].trimmed()) : nil
            entries.append(Entry(key: String(key), value: value, metadata: metadata))
            if entries.count == Self.maximumEntries { break }
        }
        guard !entries.isEmpty else { return nil }
        self.entries = entries
    }

    /// RFC 7230 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

extension Substring {
    fileprivate func trimmed() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}

/// The `ServiceContext` key for ``Baggage``.
enum BaggageKey: ServiceContextKey {
    typealias Value = Baggage
    static var nameOverride: String? { "telemetry-baggage" }
}

extension ServiceContext {
    /// The request's W3C baggage, extracted from or injected into the `baggage` header.
    public var baggage: Baggage? {
        get { self[BaggageKey.self] }
        set { self[BaggageKey.self] = newValue }
    }
}
