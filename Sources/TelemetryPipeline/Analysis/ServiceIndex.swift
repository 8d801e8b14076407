import TelemetryCore

/// Numbers the services of a batch's spans, looking each span's `service.name` up once per
/// resource rather than once per span, so per-service sums need no string hashing per span.
///
/// Spans decoded from one request share their resource's attribute storage; a span whose
/// storage is the previous span's has the previous span's service. Valid while the spans
/// it has seen are alive, which is the length of one `process` call.
struct ServiceIndex {
    /// Service names by index.
    private(set) var names: [String] = []
    private var indices: [String: Int] = [:]
    private var lastStorage: UnsafeRawPointer?
    private var lastIndex = 0

    /// The index of `span`'s service.
    mutating func index(of span: TelemetrySpanData) -> Int {
        index(of: span.resource)
    }

    /// The index of the service of spans with this resource.
    mutating func index(of resource: TelemetryResource) -> Int {
        let storage = resource.attributes.elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if let storage, storage == lastStorage { return lastIndex }
        let name = resource.serviceName
        let index: Int
        if let known = indices[name] {
            index = known
        } else {
            index = names.count
            names.append(name)
            indices[name] = index
        }
        lastStorage = storage
        lastIndex = index
        return index
    }
}
