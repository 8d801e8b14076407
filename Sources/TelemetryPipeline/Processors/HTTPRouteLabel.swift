/// The low-cardinality `method` and `path` labels of the HTTP families, by the OpenTelemetry
/// semantic conventions for HTTP servers.
enum HTTPRouteLabel {
    /// The methods the conventions know (RFC 9110 plus PATCH); any other value, including a
    /// different case, is `_OTHER`, so a client cannot mint label values.
    static let knownMethods: Set<String> = ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]

    static func method(_ value: String) -> String {
        knownMethods.contains(value) ? value : "_OTHER"
    }

    /// The route in an HTTP server span's name, which the conventions write `{method} {route}`
    /// (or `HTTP {route}` for an unknown method): the name without its leading method token.
    /// A name that is only a method has no route, and yields "".
    static func route(fromSpanName name: String) -> String {
        guard let space = name.firstIndex(of: " ") else {
            return knownMethods.contains(name) || name == "HTTP" || name == "_OTHER" ? "" : name
        }
        let token = name[..<space]
        guard knownMethods.contains(String(token)) || token == "HTTP" || token == "_OTHER" else { return name }
        return String(name[name.index(after: space)...].drop { $0 == " " })
    }
}
