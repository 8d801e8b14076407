import Foundation
import Yams

/// A YAML node with its key path and file, so every reading error can say where it happened.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String
    let environment: [String: String]

    var line: Int? { node.mark?.line }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) }
        return false
    }

    func child(_ key: String, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file, environment: environment)
    }

    func invalid(_ reason: String) -> ConfigurationError {
        .invalidValue(at: path, file: file, line: line, reason: reason)
    }

    /// The mapping's entries in file order; a null node reads as an empty mapping (`batch:`).
    func entries() throws(ConfigurationError) -> [(key: String, value: ConfigNode)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else { throw invalid("expected a mapping") }
        var result: [(key: String, value: ConfigNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { throw invalid("keys must be plain strings") }
            result.append((scalar.string, child(scalar.string, value)))
        }
        return result
    }

    /// The entries, rejecting any key outside `allowed` with a suggestion.
    func entries(allowing allowed: [String]) throws(ConfigurationError) -> [String: ConfigNode] {
        var result: [String: ConfigNode] = [:]
        for (key, value) in try entries() {
            guard allowed.contains(key) else {
                throw .unknownKey(key, in: path, file: file, line: value.keyLine(key, in: self) ?? value.line, known: allowed)
            }
            result[key] = value
        }
        return result
    }

    private func keyLine(_ key: String, in parent: ConfigNode) -> Int? {
        guard case .mapping(let mapping) = parent.node else { return nil }
        for (k, _) in mapping where k.string == key { return k.mark?.line }
        return nil
    }

    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw invalid("expected a string") }
        do {
            return try EnvironmentSubstitution.expand(scalar.string, environment: environment)
        } catch {
            throw .undefinedVariable(error.name, at: path, file: file, line: line)
        }
    }

    func int(in range: ClosedRange<Int> = 0...Int.max) throws(ConfigurationError) -> Int {
        let text = try string()
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else { throw invalid("expected an integer, got '\(text)'") }
        guard range.contains(value) else { throw invalid("\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw invalid("expected a number, got '\(text)'") }
        guard range.contains(value) else { throw invalid("\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    func bool() throws(ConfigurationError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw invalid("expected true or false, got '\(other)'")
        }
    }

    /// A Go-style duration: `200ms`, `5s`, `1m30s`, `1h`.
    func duration() throws(ConfigurationError) -> Duration {
        let text = try string()
        guard let value = DurationText.parse(text) else {
            throw invalid("expected a duration such as 200ms, 5s or 1m, got '\(text)'")
        }
        return value
    }

    func endpoint() throws(ConfigurationError) -> Endpoint {
        let text = try string()
        guard let value = Endpoint(text) else { throw invalid("expected host:port, got '\(text)'") }
        return value
    }

    func strings() throws(ConfigurationError) -> [String] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw invalid("expected a list") }
        var result: [String] = []
        for (index, element) in sequence.enumerated() {
            result.append(try child("\(index)", element).string())
        }
        return result
    }

    func elements() throws(ConfigurationError) -> [ConfigNode] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw invalid("expected a list") }
        return sequence.enumerated().map { ConfigNode(node: $0.element, path: "\(path)[\($0.offset)]", file: file, environment: environment) }
    }
}

/// Go duration text, as the Collector's configuration writes it.
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            let nanos: Double
            switch unit {
            case "ns": nanos = 1
            case "us", "µs": nanos = 1e3
            case "ms": nanos = 1e6
            case "s": nanos = 1e9
            case "m": nanos = 60e9
            case "h": nanos = 3600e9
            default: return nil
            }
            total += .nanoseconds(Int64(value * nanos))
        }
        return total
    }

    static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
