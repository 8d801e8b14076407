/// A configuration file that cannot be used, naming the file, line and key at fault.
public struct PipelineConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    private enum Code: Sendable, Equatable {
        case unreadable
        case syntax
        case unknownKey
        case unknownComponent
        case invalidValue
        case missingKey
        case undefinedVariable
    }

    private let code: Code
    /// The configuration file's path.
    public let file: String
    /// The 1-based line of the offending node, when known.
    public let line: Int?
    /// The dotted key path, e.g. `service.pipelines.traces.processors`.
    public let keyPath: String
    /// What is wrong, in words.
    public let reason: String

    private init(_ code: Code, file: String, line: Int?, keyPath: String, reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
    }

    /// `file:line: reason`.
    public var description: String {
        "\(file):\(line.map(String.init) ?? "?"): \(reason)"
    }

    static func unreadable(file: String, reason: String) -> Self {
        Self(.unreadable, file: file, line: nil, keyPath: "", reason: "cannot read configuration: \(reason)")
    }

    static func syntax(file: String, line: Int?, reason: String) -> Self {
        Self(.syntax, file: file, line: line, keyPath: "", reason: "invalid YAML: \(reason)")
    }

    static func unknownKey(_ key: String, in keyPath: String, file: String, line: Int?, known: [String]) -> Self {
        let place = keyPath.isEmpty ? "at the top level" : "in \(keyPath)"
        var reason = "unknown key '\(key)' \(place)"
        if let suggestion = EditDistance.closest(to: key, among: known) { reason += ", did you mean '\(suggestion)'?" }
        return Self(.unknownKey, file: file, line: line, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", reason: reason)
    }

    static func unknownComponent(
        kind: String, id: String, in keyPath: String, file: String, line: Int?, known: [String]
    ) -> Self {
        var reason = "unknown \(kind) '\(id)' in \(keyPath)"
        if let suggestion = EditDistance.closest(to: id, among: known) {
            reason += ", did you mean '\(suggestion)'?"
        } else if !known.isEmpty {
            reason += " (known: \(known.sorted().joined(separator: ", ")))"
        }
        return Self(.unknownComponent, file: file, line: line, keyPath: keyPath, reason: reason)
    }

    static func invalidValue(at keyPath: String, file: String, line: Int?, reason: String) -> Self {
        Self(.invalidValue, file: file, line: line, keyPath: keyPath, reason: "invalid value for \(keyPath): \(reason)")
    }

    static func missingKey(_ key: String, in keyPath: String, file: String, line: Int?) -> Self {
        let full = keyPath.isEmpty ? key : "\(keyPath).\(key)"
        return Self(.missingKey, file: file, line: line, keyPath: full, reason: "missing required key \(full)")
    }

    static func undefinedVariable(_ name: String, at keyPath: String, file: String, line: Int?) -> Self {
        Self(
            .undefinedVariable, file: file, line: line, keyPath: keyPath,
            reason: "environment variable \(name) used in \(keyPath) is not set and has no default (write ${env:\(name):-default})"
        )
    }
}
