import Synchronization

/// The pipeline's derived and self metrics, rendered in the Prometheus text format.
package final class MetricRegistry: Sendable {
    private let families = Mutex<[MetricFamily]>([])
    private let renderHooks = Mutex<[@Sendable () -> Void]>([])

    package init() {}

    /// Registers a family, or returns the one already registered under that name.
    package func family(_ name: String, help: String, kind: MetricFamily.Kind, labels: [String]) -> MetricFamily {
        families.withLock { families in
            if let existing = families.first(where: { $0.name == name }) { return existing }
            let family = MetricFamily(name: name, help: help, kind: kind, labelNames: labels)
            families.append(family)
            return family
        }
    }

    package func counter(_ name: String, help: String, labels: [String]) -> MetricFamily {
        family(name, help: help, kind: .counter, labels: labels)
    }

    package func gauge(_ name: String, help: String, labels: [String]) -> MetricFamily {
        family(name, help: help, kind: .gauge, labels: labels)
    }

    package func histogram(_ name: String, help: String, buckets: [Double], labels: [String]) -> MetricFamily {
        family(name, help: help, kind: .histogram(buckets), labels: labels)
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

    /// The text exposition format 0.0.4, series sorted for stable output; runs the
    /// ``onRender(_:)`` hooks first.
    package func render() -> String {
        for hook in renderHooks.withLock({ $0 }) { hook() }
        var out = ""
        out.reserveCapacity(16 * 1024)
        for family in families.withLock({ $0 }) {
            let snapshot = family.snapshot()
            if snapshot.isEmpty { continue }
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            switch family.kind {
            case .counter: out += "# TYPE \(family.name) counter\n"
            case .gauge: out += "# TYPE \(family.name) gauge\n"
            case .histogram: out += "# TYPE \(family.name) histogram\n"
            }
            for labels in snapshot.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let entry = snapshot[labels]!
                let pairs = zip(family.labelNames, labels).map { "\($0)=\"\(Self.escapeLabel($1))\"" }
                switch family.kind {
                case .counter, .gauge:
                    out += "\(family.name)\(Self.braces(pairs)) \(Self.format(entry.value))\n"
                case .histogram(let bounds):
                    var cumulative = 0.0
                    for (bound, count) in zip(bounds, entry.bucketCounts) {
                        cumulative += count
                        out += "\(family.name)_bucket\(Self.braces(pairs + ["le=\"\(Self.format(bound))\""])) \(Self.format(cumulative))\n"
                    }
                    out += "\(family.name)_bucket\(Self.braces(pairs + ["le=\"+Inf\""])) \(Self.format(entry.value))\n"
                    out += "\(family.name)_sum\(Self.braces(pairs)) \(Self.format(entry.sum))\n"
                    out += "\(family.name)_count\(Self.braces(pairs)) \(Self.format(entry.value))\n"
                }
            }
        }
        return out
    }

    private static func braces(_ pairs: [String]) -> String {
        pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
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
