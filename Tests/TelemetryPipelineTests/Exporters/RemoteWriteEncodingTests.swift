import Testing

@testable import TelemetryPipeline

/// The registry's families as remote-write series and their `WriteRequest` bytes, read back
/// by a reader written from the protocol's field numbers.
@Suite struct RemoteWriteEncodingTests {
    static let identity = [RemoteWriteLabel("instance", "host:8888"), RemoteWriteLabel("job", "telemetry-pipeline")]

    static func registry() -> MetricRegistry {
        let registry = MetricRegistry(defaultLimits: MetricFamily.Limits(maxSeries: 2))
        let calls = registry.counter("calls_total", help: "Calls.", labels: ["service_name", "status_code"])
        calls.add(3, ["checkout", "STATUS_CODE_ERROR"])
        calls.add(5, ["cart", ""])
        calls.add(1, ["auth", "STATUS_CODE_UNSET"])  // the third series overflows
        registry.gauge("up", help: "Up.", labels: ["instance"]).set(1, ["mine"])
        let durations = registry.histogram("duration_seconds", help: "Durations.", buckets: [0.1, 1], labels: ["service_name"])
        durations.observe(0.05, ["cart"])
        durations.observe(0.5, ["cart"])
        durations.observe(5, ["cart"])
        return registry
    }

    static func find(_ series: [RemoteWriteSeries], _ labels: [String: String]) -> [RemoteWriteSeries] {
        series.filter { entry in labels.allSatisfy { name, value in entry.labels.contains(RemoteWriteLabel(name, value)) } }
    }

    @Test func familiesBecomeSeriesWithIdentityLabels() throws {
        let snapshot = RemoteWriteSnapshot(Self.registry().collect(), labels: Self.identity, timestamp: 1_700_000_000_123)
        let checkout = try #require(Self.find(snapshot.series, ["__name__": "calls_total", "service_name": "checkout"]).first)
        #expect(
            checkout.labels == [
                RemoteWriteLabel("__name__", "calls_total"), RemoteWriteLabel("instance", "host:8888"),
                RemoteWriteLabel("job", "telemetry-pipeline"), RemoteWriteLabel("service_name", "checkout"),
                RemoteWriteLabel("status_code", "STATUS_CODE_ERROR"),
            ])
        #expect(checkout.value == 3 && checkout.timestamp == 1_700_000_000_123)
        // An empty label value is left out.
        let cart = try #require(Self.find(snapshot.series, ["__name__": "calls_total", "service_name": "cart"]).first)
        #expect(!cart.labels.contains { $0.name == "status_code" })
        // The overflow series keeps the family's total exact.
        let overflow = try #require(Self.find(snapshot.series, ["__name__": "calls_total", "otel_metric_overflow": "true"]).first)
        #expect(overflow.value == 1)
        // A family's own label wins over an identity label of the same name.
        #expect(Self.find(snapshot.series, ["__name__": "up"]).map(\.labels).first?.contains(RemoteWriteLabel("instance", "mine")) == true)
        // Histograms: cumulative buckets with +Inf, then _sum and _count.
        let buckets = Self.find(snapshot.series, ["__name__": "duration_seconds_bucket"])
        #expect(buckets.map { $0.labels.first { $0.name == "le" }!.value } == ["0.1", "1", "+Inf"])
        #expect(buckets.map(\.value) == [1, 2, 3])
        #expect(abs((Self.find(snapshot.series, ["__name__": "duration_seconds_sum"]).first?.value ?? 0) - 5.55) < 1e-9)
        #expect(Self.find(snapshot.series, ["__name__": "duration_seconds_count"]).first?.value == 3)
        for entry in snapshot.series {
            #expect(entry.labels.map(\.name) == entry.labels.map(\.name).sorted(), "\(entry.labels)")
        }
        #expect(snapshot.metadata.contains(RemoteWriteMetadata(kind: .histogram, family: "duration_seconds", help: "Durations.")))
    }

    @Test func theWriteRequestReadsBack() throws {
        let snapshot = RemoteWriteSnapshot(Self.registry().collect(), labels: Self.identity, timestamp: 42)
        let bodies = RemoteWriteRequest.bodies(series: snapshot.series, metadata: snapshot.metadata, maxBytes: 3_000_000)
        try #require(bodies.count == 1)
        #expect(bodies[0].samples == snapshot.series.count)
        let request = try WriteRequestReader(bodies[0].bytes)
        #expect(request.series.count == snapshot.series.count)
        for (read, written) in zip(request.series, snapshot.series) {
            #expect(read.labelOrder == written.labels.map(\.name))
            #expect(read.labels == Dictionary(uniqueKeysWithValues: written.labels.map { ($0.name, $0.value) }))
            #expect(read.value == written.value && read.timestamp == 42)
        }
        #expect(request.metadata.contains(WriteRequestReader.Metadata(type: 1, family: "calls_total", help: "Calls.")))
        #expect(request.metadata.contains(WriteRequestReader.Metadata(type: 2, family: "up", help: "Up.")))
    }

    /// Golden bytes worked by hand: timeseries(1){label(1){name(1) "__name__", value(2) "a"},
    /// sample(2){value(1) fixed64 1.0, timestamp(2) varint 5}}.
    @Test func oneSeriesHasTheHandWorkedBytes() {
        let field = RemoteWriteRequest.field(RemoteWriteSeries(labels: [RemoteWriteLabel("__name__", "a")], value: 1, timestamp: 5))
        let label: [UInt8] = [0x0a, 0x08] + Array("__name__".utf8) + [0x12, 0x01, 0x61]
        let sample: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x05]
        let body: [UInt8] = [0x0a, UInt8(label.count)] + label + [0x12, UInt8(sample.count)] + sample
        #expect(field == [0x0a, UInt8(body.count)] + body)
    }

    @Test func aLargeSnapshotIsSplitBySeries() throws {
        let series = (0..<100).map { RemoteWriteSeries(labels: [RemoteWriteLabel("__name__", "m\($0)")], value: Double($0), timestamp: 1) }
        let bodies = RemoteWriteRequest.bodies(series: series, metadata: [], maxBytes: 200)
        #expect(bodies.count > 1)
        #expect(bodies.allSatisfy { $0.bytes.count <= 200 })
        #expect(bodies.map(\.samples).reduce(0, +) == 100)
        let read = try bodies.flatMap { try WriteRequestReader($0.bytes).series }
        #expect(read.map { $0.labels["__name__"]! } == (0..<100).map { "m\($0)" })
    }

    @Test func labelNamesAreNormalised() {
        #expect(RemoteWriteSnapshot.labelName("service.instance.id") == "service_instance_id")
        #expect(RemoteWriteSnapshot.labelName("9lives-é") == "_9lives__")
        #expect(RemoteWriteSnapshot.isValidLabelName("_ok9") && !RemoteWriteSnapshot.isValidLabelName("9no") && !RemoteWriteSnapshot.isValidLabelName("a-b"))
    }
}
