/// A parsed JSON document; numbers keep their text so 64-bit integers lose no precision.
enum JSONValue: Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The member under its lowerCamelCase name or its proto (snake_case) name.
    subscript(camel: String, snake: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[camel] ?? members[snake]
    }

    var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        if case .null = self { return [] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An integer written as a JSON number or, as the protobuf mapping does for 64 bits, a string.
    var integerText: String? {
        switch self {
        case .number(let text), .string(let text): text
        default: nil
        }
    }

    var uint64: UInt64? { integerText.flatMap { UInt64($0) ?? Double($0).flatMap { UInt64(exactly: $0) } } }
    var int64: Int64? { integerText.flatMap { Int64($0) ?? Double($0).flatMap { Int64(exactly: $0) } } }
    var uint32: UInt32? { integerText.flatMap { UInt32($0) ?? Double($0).flatMap { UInt32(exactly: $0) } } }

    var double: Double? {
        switch self {
        case .number(let text): Double(text)
        case .string(let text): Double(text)
        default: nil
        }
    }
}
