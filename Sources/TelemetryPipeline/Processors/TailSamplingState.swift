import TelemetryCore

/// Trace IDs in arrival order, with removal from the front in constant time: an array and
/// the index of its first live element, compacted once half of it is dead.
struct TraceArrivalOrder {
    private var ids: [TraceID] = []
    private var head = 0

    var first: TraceID? { head < ids.count ? ids[head] : nil }
    var isEmpty: Bool { head >= ids.count }

    mutating func append(_ id: TraceID) { ids.append(id) }

    mutating func removeFirst() -> TraceID? {
        guard head < ids.count else { return nil }
        let id = ids[head]
        head += 1
        if head >= 1_024, head * 2 >= ids.count {
            ids.removeFirst(head)
            head = 0
        }
        return id
    }

    mutating func removeAll() -> [TraceID] {
        let rest = Array(ids[head...])
        ids = []
        head = 0
        return rest
    }
}

/// Decisions remembered for spans that arrive after their trace was decided, at most
/// `capacity` of them; the oldest is forgotten first. A capacity of 0 remembers nothing.
struct DecisionCache {
    let capacity: Int
    private var members: Set<TraceID> = []
    private var order = TraceArrivalOrder()

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { members.count }

    func contains(_ id: TraceID) -> Bool { members.contains(id) }

    mutating func insert(_ id: TraceID) {
        guard capacity > 0, members.insert(id).inserted else { return }
        order.append(id)
        while members.count > capacity, let oldest = order.removeFirst() { members.remove(oldest) }
    }
}

extension TelemetrySpanData {
    /// Roughly the bytes a held span costs: fixed fields plus its strings and collections.
    /// Cheap (no copying, string lengths are stored) and deliberately generous; the resource
    /// is counted apart (``TelemetryResource/estimatedHeldBytes``) because spans of one request share
    /// its storage.
    var estimatedHeldBytes: Int {
        var bytes = 256 + name.utf8.count
        for entry in traceState.entries { bytes += 32 + entry.key.utf8.count + entry.value.utf8.count }
        for attribute in attributes.elements { bytes += 48 + attribute.key.utf8.count + attribute.value.estimatedBytes }
        for event in events {
            bytes += 64 + event.name.utf8.count
            for attribute in event.attributes.elements { bytes += 48 + attribute.key.utf8.count + attribute.value.estimatedBytes }
        }
        bytes += links.count * 96
        return bytes
    }
}

extension TelemetryResource {
    /// Roughly the bytes a resource's attributes cost.
    var estimatedHeldBytes: Int {
        attributes.elements.reduce(64) { $0 + 48 + $1.key.utf8.count + $1.value.estimatedBytes }
    }
}

extension TelemetryAttributeValue {
    fileprivate var estimatedBytes: Int {
        switch self {
        case .string(let value): value.utf8.count
        case .bool, .int, .double: 8
        case .stringArray(let values): values.reduce(16) { $0 + 16 + $1.utf8.count }
        case .boolArray(let values): 16 + values.count
        case .intArray(let values): 16 + values.count * 8
        case .doubleArray(let values): 16 + values.count * 8
        }
    }
}
