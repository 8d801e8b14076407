import TelemetryCore

/// How OTLP's `AnyValue` kinds our model lacks (mixed arrays, key-value lists) become values,
/// the same for the protobuf and JSON decoders.
extension TelemetryAttributeValue {
    /// A typed array when every element has the same scalar type, else an array of their texts.
    package static func homogeneousArray(_ values: [TelemetryAttributeValue]) -> TelemetryAttributeValue {
        if let strings = values.allMap({ if case .string(let v) = $0 { v } else { nil } }) { return .stringArray(strings) }
        if let bools = values.allMap({ if case .bool(let v) = $0 { v } else { nil } }) { return .boolArray(bools) }
        if let ints = values.allMap({ if case .int(let v) = $0 { v } else { nil } }) { return .intArray(ints) }
        if let doubles = values.allMap({ if case .double(let v) = $0 { v } else { nil } }) { return .doubleArray(doubles) }
        return .stringArray(values.map(\.description))
    }

    /// The value as a JSON fragment: strings quoted, numbers and arrays as they are.
    package var jsonFragment: String {
        if case .string(let value) = self { return JSONText.quoted(value) }
        return description
    }
}

extension Array {
    fileprivate func allMap<T>(_ transform: (Element) -> T?) -> [T]? {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self {
            guard let mapped = transform(element) else { return nil }
            result.append(mapped)
        }
        return result
    }
}
