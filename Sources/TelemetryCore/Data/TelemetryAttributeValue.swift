/// An attribute's value, in the types OTLP, Jaeger and swift-distributed-tracing all share.
public enum TelemetryAttributeValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case stringArray([String])
    case boolArray([Bool])
    case intArray([Int64])
    case doubleArray([Double])

    /// The value as a string, when it is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as an integer, when it is one (doubles with no fraction and numeric strings count).
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e18: Int64(value)
        case .string(let value): Int64(value)
        default: nil
        }
    }

    /// The value rendered as text, arrays as JSON arrays (as Jaeger's tags carry them).
    public var description: String {
        switch self {
        case .string(let value): value
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .stringArray(let values): "[" + values.map(JSONText.quoted).joined(separator: ",") + "]"
        case .boolArray(let values): "[" + values.map { String($0) }.joined(separator: ",") + "]"
        case .intArray(let values): "[" + values.map { String($0) }.joined(separator: ",") + "]"
        case .doubleArray(let values): "[" + values.map { String($0) }.joined(separator: ",") + "]"
        }
    }
}

extension TelemetryAttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
}

/// Minimal JSON string quoting, shared by every encoder that writes JSON text by hand.
package enum JSONText {
    package static func quoted(_ string: String) -> String {
        var result = "\""
        result.reserveCapacity(string.utf8.count + 2)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
