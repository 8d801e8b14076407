import OTLPExporter

/// One remote-write label.
package struct RemoteWriteLabel: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One `TimeSeries` of a remote-write 1.0 `WriteRequest`: its labels, `__name__` among them,
/// sorted by name as the protocol requires, and one sample.
package struct RemoteWriteSeries: Sendable, Hashable {
    package var labels: [RemoteWriteLabel]
    package var value: Double
    /// Milliseconds since the Unix epoch.
    package var timestamp: Int64

    package init(labels: [RemoteWriteLabel], value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One `MetricMetadata` of a `WriteRequest`.
package struct RemoteWriteMetadata: Sendable, Hashable {
    /// `MetricMetadata.MetricType`'s numbers.
    package enum Kind: UInt64, Sendable {
        case counter = 1
        case gauge = 2
        case histogram = 3
    }

    package var kind: Kind
    package var family: String
    package var help: String

    package init(kind: Kind, family: String, help: String) {
        self.kind = kind
        self.family = family
        self.help = help
    }
}

/// Encodes remote-write 1.0 `WriteRequest`s (prometheus/prompb `remote.proto`, `types.proto`)
/// by hand: six small messages do not justify generated code and a runtime dependency.
///
/// Field numbers: `WriteRequest{timeseries = 1, metadata = 3}`, `TimeSeries{labels = 1,
/// samples = 2}`, `Label{name = 1, value = 2}`, `Sample{value = 1 (double), timestamp = 2
/// (int64)}`, `MetricMetadata{type = 1, metric_family_name = 2, help = 4, unit = 5}`.
package enum RemoteWriteRequest {
    /// One encoded request and the samples it carries.
    package struct Body: Sendable {
        package var bytes: [UInt8]
        package var samples: Int
        /// The number of the snapshot it belongs to, counted by the exporter.
        package var snapshot = 0
    }

    /// The `WriteRequest.timeseries` field (tag, length and message) of one series.
    package static func field(_ series: RemoteWriteSeries) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 128)
        writer.message(1) { timeSeries in
            for label in series.labels {
                timeSeries.message(1) { entry in
                    entry.string(1, label.name)
                    entry.string(2, label.value)
                }
            }
            timeSeries.message(2) { sample in
                // A zero value is written too: proto3 would omit it, to the same effect.
                sample.fixed64(1, series.value.bitPattern, force: true)
                sample.varintField(2, UInt64(bitPattern: series.timestamp))
            }
        }
        return writer.bytes
    }

    /// The `WriteRequest.metadata` field of one family.
    package static func field(_ metadata: RemoteWriteMetadata) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 64)
        writer.message(3) { entry in
            entry.varintField(1, metadata.kind.rawValue, force: true)
            entry.string(2, metadata.family)
            entry.string(4, metadata.help)
        }
        return writer.bytes
    }

    /// Series and metadata packed into requests of at most `maxBytes` each (before
    /// compression), in order; a single series larger than that travels alone. A
    /// `WriteRequest` is its fields concatenated, so splitting needs no re-encoding.
    package static func bodies(series: [RemoteWriteSeries], metadata: [RemoteWriteMetadata], maxBytes: Int) -> [Body] {
        var bodies: [Body] = []
        var current = Body(bytes: [], samples: 0)
        func append(_ field: [UInt8], samples: Int) {
            if !current.bytes.isEmpty, current.bytes.count + field.count > maxBytes {
                bodies.append(current)
                current = Body(bytes: [], samples: 0)
            }
            current.bytes += field
            current.samples += samples
        }
        for entry in series { append(field(entry), samples: 1) }
        for entry in metadata { append(field(entry), samples: 0) }
        if !current.bytes.isEmpty { bodies.append(current) }
        return bodies
    }
}
