/// Parsing of an HTTP authority (`host`, `host:port`, `[v6]:port`).
enum Authority {
    static func split(_ authority: some StringProtocol) -> (host: String, port: Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        guard let colon = authority.lastIndex(of: ":") else { return (String(authority), nil) }
        return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]))
    }
}
