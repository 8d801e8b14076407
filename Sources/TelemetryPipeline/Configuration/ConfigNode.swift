import Foundation
import TelemetryCore
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

    func invalid(_ reason: String) -> PipelineConfigurationError {
        .invalidValue(at: path, file: file, line: line, reason: reason)
    }

    /// The mapping's entries in file order; a null node reads as an empty mapping (`batch:`).
    func entries() throws(PipelineConfigurationError) -> [(key: String, value: ConfigNode)] {
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
    func entries(allowing allowed: [String]) throws(PipelineConfigurationError) -> [String: ConfigNode] {
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

    func string() throws(PipelineConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw invalid("expected a string") }
        do {
            return try EnvironmentSubstitution.expand(scalar.string, environment: environment)
        } catch {
            throw .undefinedVariable(error.name, at: path, file: file, line: line)
        }
    }

    func int(in range: ClosedRange<Int> = 0...Int.max) throws(PipelineConfigurationError) -> Int {
        let text = try string()
        do {
            return try ConfigurationValue.integer(text, in: range)
        } catch {
            throw invalid(error, in: text)
        }
    }

    func double(in range: ClosedRange<Double>) throws(PipelineConfigurationError) -> Double {
        let text = try string()
        do {
            return try ConfigurationValue.number(text, in: range)
        } catch {
            throw invalid(error, in: text)
        }
    }

    func bool() throws(PipelineConfigurationError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw invalid("expected true or false, got '\(other)'")
        }
    }

    /// A Go-style duration, `200ms`, `5s`, `1m30s`, `1h`, as the Collector writes them; with
    /// `bareNumberUnit`, a number without a unit too (`0.005` seconds in bucket lists).
    func duration(bareNumberUnit: ConfigurationValue.DurationUnit? = nil, minimum: Duration = .zero) throws(PipelineConfigurationError) -> Duration {
        let text = try string()
        do {
            return try ConfigurationValue.duration(text, bareNumberUnit: bareNumberUnit, minimum: minimum)
        } catch {
            throw invalid(error, in: text)
        }
    }

    /// `expected a duration such as …, got 'soon'` or `'100000000000s' is above the maximum …`.
    private func invalid(_ failure: ConfigurationValueError, in text: String) -> PipelineConfigurationError {
        invalid(failure.isMalformed ? "expected \(failure.expectation), got '\(text)'" : "'\(text)' \(failure)")
    }

    func endpoint() throws(PipelineConfigurationError) -> Endpoint {
        let text = try string()
        guard let value = Endpoint(text) else { throw invalid("expected host:port, got '\(text)'") }
        return value
    }

    func strings() throws(PipelineConfigurationError) -> [String] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw invalid("expected a list") }
        var result: [String] = []
        for (index, element) in sequence.enumerated() {
            result.append(try child("\(index)", element).string())
        }
        return result
    }

    func elements() throws(PipelineConfigurationError) -> [ConfigNode] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw invalid("expected a list") }
        return sequence.enumerated().map { ConfigNode(node: $0.element, path: "\(path)[\($0.offset)]", file: file, environment: environment) }
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
