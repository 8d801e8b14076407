import Synchronization
import TelemetryCore

@testable import TelemetryPipeline

/// A stand-in wire format, `spans:N;reject:M;service:S;trip:BREAKER`, so receiver tests exercise the HTTP
/// behaviour without depending on a codec module; `trip` adds S's breaker's closed → open
/// state-change span. Anything else fails to decode.
enum FakeCodec {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "not a fake batch" }
    }

    static let decode: TraceDecoders.Decode = { bytes in
        guard let text = String(validating: bytes, as: UTF8.self), text.hasPrefix("spans:") else { throw Malformed() }
        var count = 0, rejected = 0, service = "fake-service", first: UInt64 = 1, tripped: [String] = []
        for field in text.split(separator: ";") {
            let parts = field.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw Malformed() }
            switch parts[0] {
            case "spans": guard let n = Int(parts[1]), n >= 0, n < 1_000_000 else { throw Malformed() }; count = n
            case "reject": guard let n = Int(parts[1]), n >= 0 else { throw Malformed() }; rejected = n
            case "service": service = String(parts[1])
            case "first": guard let n = UInt64(parts[1]) else { throw Malformed() }; first = n
            case "trip": tripped.append(String(parts[1]))
            default: throw Malformed()
            }
        }
        var spans = (0..<UInt64(count)).map { i in Spans.make(service: service, traceLow: first + i, spanID: first + i) }
        for (i, breaker) in tripped.enumerated() {
            let id = 900_000 + UInt64(i)
            spans.append(
                Spans.make(
                    service: service, name: "circuit_breaker.state_change", kind: .internal, traceLow: id, spanID: id, durationMillis: 0,
                    attributes: [
                        "circuit_breaker.name": .string(breaker), "circuit_breaker.from_state": "closed", "circuit_breaker.to_state": "open",
                    ]))
        }
        return DecodedTraces(spans: spans, rejected: rejected, message: rejected > 0 ? "\(rejected) spans had no trace ID" : nil)
    }

    static let decoders = TraceDecoders(otlpProtobuf: decode, otlpJSON: decode, jaegerThrift: decode, gunzip: TraceDecoders.standard.gunzip)
}

/// Collects exported spans.
final class CollectingExporter: SpanExporter {
    let spans = Mutex<[TelemetrySpanData]>([])
    let flushed = Mutex(false)

    func export(_ batch: [TelemetrySpanData]) async throws { spans.withLock { $0 += batch } }
    func forceFlush() async throws { flushed.withLock { $0 = true } }
    var count: Int { spans.withLock { $0.count } }
}
