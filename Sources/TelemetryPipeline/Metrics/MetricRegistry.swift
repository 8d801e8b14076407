import Synchronization

/// The pipeline's derived and self metrics, rendered in the Prometheus text format.
///
/// Every family is bounded (``MetricFamily/Limits``); the registry itself reports what its
/// families folded into overflow series as `pipeline_metric_series_overflow_total{metric}`
/// and what expired as `pipeline_metric_series_expired_total{metric}`.
package final class MetricRegistry: Sendable {
    private let families = Mutex<[MetricFamily]>([])
    private let renderHooks = Mutex<[@Sendable () -> Void]>([])
    /// Limits of families registered without their own.
    package let defaultLimits: MetricFamily.Limits
    let overflowPoints: MetricFamily
    let expiredSeries: MetricFamily

    package init(defaultLimits: MetricFamily.Limits = .default) {
        self.defaultLimits = defaultLimits
        // Labelled by family names, which code chooses, so these two stay small.
        let overflowPoints = MetricFamily(
            name: "pipeline_metric_series_overflow_total",
            help: "Updates folded into a family's otel_metric_overflow series because it was at its series limit.",
            kind: .counter, labelNames: ["metric"])
        let expiredSeries = MetricFamily(
            name: "pipeline_metric_series_expired_total", help: "Series removed from a family after being idle past its expiration.",
            kind: .counter, labelNames: ["metric"])
        self.overflowPoints = overflowPoints
        self.expiredSeries = expiredSeries
        families.withLock { $0 = [overflowPoints, expiredSeries] }
    }

    /// Registers a family, or returns the one already registered under that name (whose
    /// limits stay as first registered).
    package func family(
        _ name: String, help: String, kind: MetricFamily.Kind, labels: [String], limits: MetricFamily.Limits? = nil
    ) -> MetricFamily {
        families.withLock { families in
            if let existing = families.first(where: { $0.name == name }) { return existing }
            let family = MetricFamily(name: name, help: help, kind: kind, labelNames: labels, limits: limits ?? defaultLimits)
            families.append(family)
            return family
        }
    }

    package func counter(_ name: String, help: String, labels: [String], limits: MetricFamily.Limits? = nil) -> MetricFamily {
        family(name, help: help, kind: .counter, labels: labels, limits: limits)
    }

    package func gauge(_ name: String, help: String, labels: [String], limits: MetricFamily.Limits? = nil) -> MetricFamily {
        family(name, help: help, kind: .gauge, labels: labels, limits: limits)
    }

    package func histogram(
        _ name: String, help: String, buckets: [Double], labels: [String], limits: MetricFamily.Limits? = nil
    ) -> MetricFamily {
        family(name, help: help, kind: .histogram(buckets), labels: labels, limits: limits)
    }

    /// A registered family by name.
    package func lookup(_ name: String) -> MetricFamily? {
        families.withLock { $0.first { $0.name == name } }
    }

    /// Runs `hook` before every ``render()``: for values computed when read, such as
    /// sliding-window rates.
    package func onRender(_ hook: @escaping @Sendable () -> Void) {
        renderHooks.withLock { $0.append(hook) }
    }

    /// Every family that holds a series, with its contents, in registration order, as
    /// ``render()`` sees them: the ``onRender(_:)`` hooks run first, so sliding-window gauges
    /// are current. For exporters that push the metrics in a structured form.
    package func collect() -> [(family: MetricFamily, contents: MetricFamily.Contents)] {
        for hook in renderHooks.withLock({ $0 }) { hook() }
        let all = families.withLock { $0 }
        refreshLimitCounters(all)
        return all.compactMap { family in
            let contents = family.contentsSnapshot()
            return contents.series.isEmpty && contents.overflow == nil ? nil : (family, contents)
        }
    }

    /// The text exposition format 0.0.4, series sorted for stable output (the overflow
    /// series last); runs the ``onRender(_:)`` hooks first.
    package func render() -> String {
        var out = ""
        out.reserveCapacity(16 * 1024)
        for (family, contents) in collect() {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            switch family.kind {
            case .counter: out += "# TYPE \(family.name) counter\n"
            case .gauge: out += "# TYPE \(family.name) gauge\n"
            case .histogram: out += "# TYPE \(family.name) histogram\n"
            }
            // Label text is built once per series and `le` values once per family: a scrape
            // of thousands of histogram series is mostly these lines.
            let bucketLabels: [String] =
                if case .histogram(let bounds) = family.kind {
                    bounds.map { "le=\"\(Self.format($0))\"" } + ["le=\"+Inf\""]
                } else {
                    []
                }
            for (labels, entry) in contents.series.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                var labelText = ""
                for (name, value) in zip(family.labelNames, labels) {
                    if !labelText.isEmpty { labelText += "," }
                    labelText += name + "=\"" + Self.escapeLabel(value) + "\""
                }
                Self.renderSeries(entry, of: family, labelText: labelText, bucketLabels: bucketLabels, into: &out)
            }
            if let overflow = contents.overflow {
                Self.renderSeries(
                    overflow, of: family, labelText: "\(MetricFamily.overflowLabelName)=\"true\"", bucketLabels: bucketLabels, into: &out)
            }
        }
        return out
    }

    /// One series' lines; `labelText` is its `name="value",…` pairs without braces. Appended
    /// piece by piece: concatenating first would allocate a temporary string per line.
    private static func renderSeries(
        _ entry: MetricFamily.Series, of family: MetricFamily, labelText: String, bucketLabels: [String], into out: inout String
    ) {
        func line(_ suffix: String, _ value: Double) {
            out += family.name
            out += suffix
            if !labelText.isEmpty {
                out += "{"
                out += labelText
                out += "}"
            }
            out += " "
            out += format(value)
            out += "\n"
        }
        switch family.kind {
        case .counter, .gauge:
            line("", entry.value)
        case .histogram:
            // Shared by the series' bucket lines, which outnumber all others.
            let bucketPrefix = family.name + "_bucket{" + labelText + (labelText.isEmpty ? "" : ",")
            var cumulative = 0.0
            for (index, label) in bucketLabels.enumerated() {
                // The last label is +Inf, whose count is every observation.
                cumulative = index < entry.bucketCounts.count ? cumulative + entry.bucketCounts[index] : entry.value
                out += bucketPrefix
                out += label
                out += "} "
                out += format(cumulative)
                out += "\n"
            }
            line("_sum", entry.sum)
            line("_count", entry.value)
        }
    }

    /// Copies each family's folded and expired counts into the two self-metrics.
    private func refreshLimitCounters(_ all: [MetricFamily]) {
        var folded: [(name: String, value: Double)] = []
        var expired: [(name: String, value: Double)] = []
        for family in all where family !== overflowPoints && family !== expiredSeries {
            let counts = family.contentsSnapshotCounts()
            if counts.folded > 0 { folded.append((family.name, counts.folded)) }
            if counts.expired > 0 { expired.append((family.name, counts.expired)) }
        }
        overflowPoints.update { updater in
            for entry in folded { updater.set(entry.value, [entry.name]) }
        }
        expiredSeries.update { updater in
            for entry in expired { updater.set(entry.value, [entry.name]) }
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    private static func escapeLabel(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private static func escapeHelp(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }
}
