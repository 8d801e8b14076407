/// A span's outcome.
public enum TelemetrySpanStatus: Sendable, Hashable {
    case unset
    case ok
    /// A failure, with an optional description.
    case error(description: String?)

    /// The OpenTelemetry status code name: `UNSET`, `OK` or `ERROR`.
    public var codeName: String {
        switch self {
        case .unset: "UNSET"
        case .ok: "OK"
        case .error: "ERROR"
        }
    }

    /// Whether this is an error status.
    public var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
