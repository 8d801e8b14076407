/// One Zipkin v2 span as read off the wire, before it is mapped to `TelemetrySpanData`; the JSON and
/// proto3 readers both fill it, so the mapping is written once.
struct ZipkinSpan {
    /// The span's index in the request, for error messages.
    var index: Int
    /// High and low halves; a 64-bit trace ID has `high == 0`.
    var traceID: (high: UInt64, low: UInt64) = (0, 0)
    var id: UInt64 = 0
    /// Absent, empty or zero on the wire → `nil`.
    var parentID: UInt64?
    var name = ""
    var kind: Kind?
    /// Epoch microseconds; `nil` when absent (Zipkin allows that).
    var timestampMicros: UInt64?
    var durationMicros: UInt64 = 0
    var localEndpoint: Endpoint?
    var remoteEndpoint: Endpoint?
    var annotations: [Annotation] = []
    /// Tag keys are unique on the wire (a JSON object, a proto map), kept in arrival order.
    var tags: [(key: String, value: String)] = []
    var debug = false
    var shared = false

    init(index: Int) {
        self.index = index
    }

    enum Kind {
        case client, server, producer, consumer
    }

    struct Endpoint {
        var serviceName = ""
        /// Textual address (dotted IPv4, RFC 5952 IPv6).
        var ipv4: String?
        var ipv6: String?
        var port: Int = 0
    }

    struct Annotation {
        var timestampMicros: UInt64
        var value: String
    }
}
