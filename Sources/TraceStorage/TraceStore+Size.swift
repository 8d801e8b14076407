import TelemetryCore

extension TraceStore {
    /// What one stored span is counted as against ``Configuration/maxBytes``: its fixed
    /// fields, its strings' bytes and a per-element overhead for attributes, events and links.
    ///
    /// An estimate, not a measurement: the resource and scope a batch's spans share are
    /// counted as one reference each, and allocator rounding is not counted, so resident
    /// memory runs above the figure by a roughly constant factor (see the benchmarks).
    public static func estimatedBytes(of span: TelemetrySpanData) -> Int {
        var bytes = fixedSpanBytes + span.name.utf8.count + estimatedBytes(of: span.attributes)
        for event in span.events {
            bytes += elementBytes + event.name.utf8.count + estimatedBytes(of: event.attributes)
        }
        for link in span.links {
            bytes += elementBytes + estimatedBytes(of: link.attributes)
        }
        if case .error(let description?) = span.status { bytes += description.utf8.count }
        return bytes
    }

    /// `TelemetrySpanData`'s inline size, the boxes its arrays and strings live in, and the
    /// trace table's share.
    static let fixedSpanBytes = 256
    /// An attribute's, event's or link's own storage beside its strings.
    static let elementBytes = 48

    static func estimatedBytes(of attributes: TelemetryAttributes) -> Int {
        var bytes = 0
        for attribute in attributes {
            bytes += elementBytes + attribute.key.utf8.count
            switch attribute.value {
            case .string(let value): bytes += value.utf8.count
            case .bool, .int, .double: break
            case .stringArray(let values): bytes += values.reduce(0) { $0 + 16 + $1.utf8.count }
            case .boolArray(let values): bytes += values.count
            case .intArray(let values): bytes += values.count * 8
            case .doubleArray(let values): bytes += values.count * 8
            }
        }
        return bytes
    }
}
