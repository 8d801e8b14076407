/// One key–value attribute.
public struct TelemetryAttribute: Sendable, Hashable {
    public var key: String
    public var value: TelemetryAttributeValue

    public init(_ key: String, _ value: TelemetryAttributeValue) {
        self.key = key
        self.value = value
    }
}

/// An ordered attribute set with unique keys.
///
/// Kept as a flat array rather than a dictionary: spans carry a handful of attributes, for
/// which a linear scan beats hashing, building one costs a single allocation, and exporters
/// walk it in insertion order.
public struct TelemetryAttributes: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public private(set) var elements: [TelemetryAttribute]

    /// An empty attribute set.
    public init() {
        elements = []
    }

    /// Creates a set from attributes; a later duplicate key replaces an earlier one.
    public init(_ attributes: some Sequence<TelemetryAttribute>) {
        elements = []
        for attribute in attributes { self[attribute.key] = attribute.value }
    }

    /// Wraps attributes whose keys the caller knows to be unique, without checking them.
    package init(uniqueElements elements: [TelemetryAttribute]) {
        self.elements = elements
    }

    public init(dictionaryLiteral elements: (String, TelemetryAttributeValue)...) {
        self.init(elements.map { TelemetryAttribute($0.0, $0.1) })
    }

    /// Reserves room for `count` attributes.
    public mutating func reserveCapacity(_ count: Int) {
        elements.reserveCapacity(count)
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> TelemetryAttribute { elements[position] }

    /// The value for `key`; setting `nil` removes it, setting a new key appends it.
    public subscript(key: String) -> TelemetryAttributeValue? {
        get {
            for element in elements where element.key == key { return element.value }
            return nil
        }
        set {
            if let index = elements.firstIndex(where: { $0.key == key }) {
                if let newValue { elements[index].value = newValue } else { elements.remove(at: index) }
            } else if let newValue {
                elements.append(TelemetryAttribute(key, newValue))
            }
        }
    }

    /// Appends without checking for an existing key; for decoders and builders that know keys are unique.
    public mutating func appendUnchecked(_ attribute: TelemetryAttribute) {
        elements.append(attribute)
    }

    /// Removes every attribute for which `predicate` is true.
    public mutating func removeAll(where predicate: (TelemetryAttribute) throws -> Bool) rethrows {
        try elements.removeAll(where: predicate)
    }
}

/// The former name of ``TelemetryAttribute``.
@available(*, deprecated, renamed: "TelemetryAttribute")
public typealias Attribute = TelemetryAttribute
