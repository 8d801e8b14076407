import Benchmark
import JaegerExporter
import OTLPExporter
import TelemetryCore

/// A realistic 512-span batch: one resource, server spans with the usual HTTP attributes,
/// every fourth with an event, every tenth failed.
func makeBatch(count: Int = 512) -> [TelemetrySpanData] {
    let resource = TelemetryResource(attributes: [
        "service.name": "checkout", "service.version": "1.4.2", "telemetry.sdk.name": "swift-telemetry",
        "telemetry.sdk.language": "swift", "host.name": "node-7",
    ])
    return (0..<count).map { index in
        let start = 1_700_000_000_000_000_000 + UInt64(index) * 1_000_000
        return TelemetrySpanData(
            traceID: TraceID(high: 0x1234_5678_9abc_def0 &+ UInt64(index / 8), low: 0x0fed_cba9_8765_4321 &* UInt64(index + 1)),
            spanID: SpanID(UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15),
            parentSpanID: index % 8 == 0 ? nil : SpanID(UInt64(index) &* 0x9E37_79B9_7F4A_7C15),
            name: "GET /api/orders/{id}",
            kind: .server,
            startTimeNanos: start,
            endTimeNanos: start + 2_500_000,
            attributes: [
                "http.request.method": "GET", "url.path": "/api/orders/42", "http.response.status_code": 200,
                "server.address": "orders.internal", "network.peer.port": 8080, "http.route": "/api/orders/{id}",
            ],
            events: index % 4 == 0 ? [TelemetrySpanEvent(name: "cache.miss", timeNanos: start + 1000, attributes: ["key": "order:42"])] : [],
            status: index % 10 == 0 ? .error(description: "upstream timeout") : .unset,
            resource: resource,
            scope: TelemetryInstrumentationScope(name: "swift-telemetry", version: "0.1.0")
        )
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))
    let batch = makeBatch()

    // One iteration encodes 512 spans: spans/s = 512 × throughput.
    Benchmark("Jaeger thrift encode, 512 spans") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(JaegerThriftEncoder.encode(batch)) }
    }
    Benchmark("OTLP protobuf encode, 512 spans") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(OTLPTraceEncoder.encodeProtobuf(batch)) }
    }
    Benchmark("OTLP JSON encode, 512 spans") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(OTLPTraceEncoder.encodeJSON(batch)) }
    }
    let thrift = JaegerThriftEncoder.encode(batch)
    Benchmark("Jaeger thrift decode, 512 spans") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try JaegerThriftDecoder.decode(thrift)) }
    }
    let protobuf = OTLPTraceEncoder.encodeProtobuf(batch)
    Benchmark("OTLP protobuf decode, 512 spans") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try OTLPTraceDecoder.decode(protobuf: protobuf)) }
    }
}
