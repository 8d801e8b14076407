/// A component's identity in the configuration: `type` or `type/name`, as in the Collector.
public struct ComponentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The component type, e.g. `otlp` or `batch`.
    public var type: String
    /// The optional instance name after the slash.
    public var name: String

    /// Parses `type` or `type/name`.
    public init(_ text: String) {
        if let slash = text.firstIndex(of: "/") {
            type = String(text[..<slash])
            name = String(text[text.index(after: slash)...])
        } else {
            type = text
            name = ""
        }
    }

    /// `type` or `type/name`.
    public var description: String { name.isEmpty ? type : "\(type)/\(name)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}
