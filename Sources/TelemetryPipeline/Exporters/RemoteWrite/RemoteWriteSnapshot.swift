/// The registry's families as remote-write series: counters and gauges one series each,
/// histograms `_bucket{le}` (cumulative, `+Inf` included), `_sum` and `_count`, and a family's
/// overflow series under its `otel_metric_overflow="true"` label, as the scrape endpoint
/// renders them.
///
/// Every series also carries `labels` (identity, external and resource labels, already
/// valid and unique); a family's own label of the same name wins, as a Prometheus server's
/// `external_labels` never override a series' own. Labels with empty values are left out,
/// which Prometheus treats as the same series.
struct RemoteWriteSnapshot {
    var series: [RemoteWriteSeries] = []
    var metadata: [RemoteWriteMetadata] = []

    init(_ families: [(family: MetricFamily, contents: MetricFamily.Contents)], labels: [RemoteWriteLabel], timestamp: Int64) {
        for (family, contents) in families {
            let kind: RemoteWriteMetadata.Kind
            var bucketLabels: [String] = []
            switch family.kind {
            case .counter: kind = .counter
            case .gauge: kind = .gauge
            case .histogram(let bounds):
                kind = .histogram
                bucketLabels = bounds.map(MetricRegistry.format) + ["+Inf"]
            }
            metadata.append(RemoteWriteMetadata(kind: kind, family: family.name, help: family.help))
            for (values, entry) in contents.series.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                let own = zip(family.labelNames, values).map { RemoteWriteLabel($0, $1) }
                append(entry, of: family, own: own, common: labels, bucketLabels: bucketLabels, timestamp: timestamp)
            }
            if let overflow = contents.overflow {
                let own = [RemoteWriteLabel(MetricFamily.overflowLabelName, "true")]
                append(overflow, of: family, own: own, common: labels, bucketLabels: bucketLabels, timestamp: timestamp)
            }
        }
    }

    private mutating func append(
        _ entry: MetricFamily.Series, of family: MetricFamily, own: [RemoteWriteLabel], common: [RemoteWriteLabel],
        bucketLabels: [String], timestamp: Int64
    ) {
        var base: [String: String] = [:]
        for label in common where !label.value.isEmpty { base[label.name] = label.value }
        for label in own where !label.value.isEmpty { base[label.name] = label.value }
        func add(_ name: String, _ value: Double, extra: RemoteWriteLabel? = nil) {
            var labels = base
            labels["__name__"] = name
            if let extra { labels[extra.name] = extra.value }
            let sorted = labels.map { RemoteWriteLabel($0.key, $0.value) }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            series.append(RemoteWriteSeries(labels: sorted, value: value, timestamp: timestamp))
        }
        switch family.kind {
        case .counter, .gauge:
            add(family.name, entry.value)
        case .histogram:
            var cumulative = 0.0
            for (index, bound) in bucketLabels.enumerated() {
                // The last bucket is +Inf, whose count is every observation.
                cumulative = index < entry.bucketCounts.count ? cumulative + entry.bucketCounts[index] : entry.value
                add(family.name + "_bucket", cumulative, extra: RemoteWriteLabel("le", bound))
            }
            add(family.name + "_sum", entry.sum)
            add(family.name + "_count", entry.value)
        }
    }

    /// Whether `name` is a valid Prometheus label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// `name` with every character outside `[a-zA-Z0-9_]` replaced by `_`, and a leading
    /// digit prefixed by `_`: `service.instance.id` becomes `service_instance_id`.
    static func labelName(_ name: String) -> String {
        var out = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.isASCII && (isLetter(UInt8(scalar.value)) || ("0"..."9").contains(scalar)) ? scalar : "_"
                }))
        if out.first?.isNumber == true { out = "_" + out }
        return out.isEmpty ? "_" : out
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
