import TelemetryCore

extension ZipkinSpan {
    /// An annotation as an event (its time is set by the caller).
    ///
    /// OpenTelemetry's Zipkin exporters write an event as `{"name": {attributes}}`, the
    /// specification's mapping; the Collector's own exporter writes
    /// `name|{attributes}|droppedCount`, which its translator reads back. Both are read into
    /// a name and attributes; any other value, or one whose JSON does not parse, is the
    /// event's name as it stands (the Collector would refuse the second and cut a value at
    /// its first `|`; plain Zipkin annotations are free text).
    static func event(_ value: String) -> TelemetrySpanEvent {
        if value.hasPrefix("{"), case .object(let members)? = try? JSONParser.parse(Array(value.utf8)), members.count == 1,
            let only = members.first, case .object(let fields) = only.value
        {
            return TelemetrySpanEvent(name: only.key, timeNanos: 0, attributes: attributes(fields))
        }
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        if parts.count >= 3, let dropped = UInt32(parts[parts.count - 1]),
            case .object(let fields)? = try? JSONParser.parse(Array(parts[1..<(parts.count - 1)].joined(separator: "|").utf8))
        {
            return TelemetrySpanEvent(name: String(parts[0]), timeNanos: 0, attributes: attributes(fields), droppedAttributesCount: dropped)
        }
        return TelemetrySpanEvent(name: value, timeNanos: 0)
    }

    /// JSON members as attributes, by key: strings, booleans, numbers (whole ones as
    /// integers, as the translator does) and arrays of one of those; other values are left out.
    static func attributes(_ members: [String: JSONValue]) -> TelemetryAttributes {
        var result = TelemetryAttributes()
        for key in members.keys.sorted() {
            if let value = attributeValue(members[key]!) { result.appendUnchecked(TelemetryAttribute(key, value)) }
        }
        return result
    }

    private static func attributeValue(_ value: JSONValue) -> TelemetryAttributeValue? {
        switch value {
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .number(let text): return number(text)
        case .array(let elements) where !elements.isEmpty: return array(elements)
        default: return nil
        }
    }

    /// An array whose elements are all strings, all booleans or all numbers.
    private static func array(_ elements: [JSONValue]) -> TelemetryAttributeValue? {
        var strings: [String] = [], flags: [Bool] = [], integers: [Int64] = [], reals: [Double] = []
        for element in elements {
            switch element {
            case .string(let text): strings.append(text)
            case .bool(let flag): flags.append(flag)
            case .number(let text):
                switch number(text) {
                case .int(let whole)?: integers.append(whole); reals.append(Double(whole))
                case .double(let real)?: reals.append(real)
                default: return nil
                }
            default: return nil
            }
        }
        if strings.count == elements.count { return .stringArray(strings) }
        if flags.count == elements.count { return .boolArray(flags) }
        if integers.count == elements.count { return .intArray(integers) }
        if reals.count == elements.count { return .doubleArray(reals) }
        return nil
    }

    private static func number(_ text: String) -> TelemetryAttributeValue? {
        if let whole = Int64(text) { return .int(whole) }
        guard let real = Double(text), real.isFinite else { return nil }
        if real.rounded() == real, let whole = Int64(exactly: real) { return .int(whole) }
        return .double(real)
    }
}
