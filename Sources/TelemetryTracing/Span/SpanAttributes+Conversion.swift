import TelemetryCore
import Tracing

extension SpanAttribute {
    /// The value in the core data model; `nil` for the marker case that carries no value.
    func attributeValue(lengthLimit: Int?) -> TelemetryAttributeValue? {
        func cut(_ string: String) -> String {
            guard let lengthLimit, string.count > lengthLimit else { return string }
            return String(string.prefix(lengthLimit))
        }
        switch self {
        case .int32(let value): return .int(Int64(value))
        case .int64(let value): return .int(value)
        case .int32Array(let values): return .intArray(values.map { Int64($0) })
        case .int64Array(let values): return .intArray(values)
        case .double(let value): return .double(value)
        case .doubleArray(let values): return .doubleArray(values)
        case .bool(let value): return .bool(value)
        case .boolArray(let values): return .boolArray(values)
        case .string(let value): return .string(cut(value))
        case .stringArray(let values): return .stringArray(values.map(cut))
        case .stringConvertible(let value):
            // swift-distributed-tracing files `Int` and friends here; keep them numbers.
            switch value {
            case let value as Int: return .int(Int64(value))
            case let value as Int64: return .int(value)
            case let value as Double: return .double(value)
            case let value as Bool: return .bool(value)
            default: return .string(cut(value.description))
            }
        case .stringConvertibleArray(let values):
            if let ints = values as? [Int] { return .intArray(ints.map { Int64($0) }) }
            if let ints = values as? [Int64] { return .intArray(ints) }
            if let doubles = values as? [Double] { return .doubleArray(doubles) }
            if let bools = values as? [Bool] { return .boolArray(bools) }
            return .stringArray(values.map { cut($0.description) })
        default: return nil
        }
    }
}

extension SpanAttributes {
    /// No attributes, without allocating. `SpanAttributes()` and `[:]` go through the variadic
    /// dictionary-literal initialiser, which builds an array and a dictionary generically.
    static var empty: SpanAttributes { SpanAttributes([String: SpanAttribute]()) }

    /// The attributes as the core model holds them, at most `countLimit` of them, plus how many
    /// were dropped.
    func converted(countLimit: Int, lengthLimit: Int?) -> (TelemetryAttributes, UInt32) {
        guard !isEmpty else { return (TelemetryAttributes(), 0) }
        let capacity = Swift.min(count, countLimit)
        var dropped: UInt32 = 0
        // Written straight into an array of the final size: one allocation, no per-element
        // capacity checks, and no uniqueness scan, since dictionary keys are already unique.
        let elements = [TelemetryAttribute](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            forEach { key, value in
                guard let converted = value.attributeValue(lengthLimit: lengthLimit) else { return }
                if initialized < capacity {
                    (buffer.baseAddress! + initialized).initialize(to: TelemetryAttribute(key, converted))
                    initialized += 1
                } else {
                    dropped += 1
                }
            }
        }
        return (TelemetryAttributes(uniqueElements: elements), dropped)
    }
}

extension TelemetrySpanKind {
    /// The core kind for a swift-distributed-tracing kind.
    init(_ kind: Tracing.SpanKind) {
        switch kind {
        case .server: self = .server
        case .client: self = .client
        case .producer: self = .producer
        case .consumer: self = .consumer
        case .internal: self = .internal
        }
    }
}
