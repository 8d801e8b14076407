/// One element of the body the W3C Trace Context harness posts to `/test`: "POST `arguments`,
/// as JSON, to `url`".
///
/// The harness nests instructions (`arguments` is itself a list of them, usually empty), so the
/// body forwarded to `url` is this same shape one level down.
struct HarnessInstruction: Codable, Sendable, Hashable {
    /// Where to send the callback; an absolute `http` or `https` URL.
    var url: String
    /// The body of the callback, forwarded as a JSON array; absent or `null` means `[]`.
    var arguments: [HarnessInstruction]

    init(url: String, arguments: [HarnessInstruction] = []) {
        self.url = url
        self.arguments = arguments
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        arguments = try container.decodeIfPresent([HarnessInstruction].self, forKey: .arguments) ?? []
    }

    /// Whether `url` is one the HTTP client can reach: an `http` or `https` scheme and a host.
    var hasHTTPURL: Bool {
        guard let schemeEnd = url.firstRange(of: "://") else { return false }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return (scheme == "http" || scheme == "https") && !authority.isEmpty
    }
}
