/// An exporter environment variable holds a value that cannot be used.
public struct ExportConfigurationError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalidValue
    }

    private let code: Code
    /// The variable at fault.
    public let variable: String
    /// A readable explanation naming the variable and its value.
    public let description: String

    private init(_ code: Code, variable: String, _ description: String) {
        self.code = code
        self.variable = variable
        self.description = description
    }

    /// `variable` holds `value`, which is not one of `expected`.
    public static func invalidValue(_ variable: String, _ value: String, expected: String) -> Self {
        Self(.invalidValue, variable: variable, "\(variable)=\(value) is not valid; expected \(expected)")
    }
}
