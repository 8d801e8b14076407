import GRPCCore
import GRPCNIOTransportHTTP2
import TelemetryCore
import TelemetryHTTPExport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an OTLP/gRPC exporter connects: a host and a port, reached over plaintext HTTP/2.
///
/// Only plaintext is supported: an `https://` endpoint is refused rather than silently sent
/// in the clear.
public struct OTLPGRPCEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A name resolved through DNS, an IPv4 literal, or an IPv6 literal (without brackets).
    public var host: String
    /// The TCP port. Default 4317, the OTLP/gRPC port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int = 4317) {
        self.host = host
        self.port = port
    }

    /// `localhost:4317`, the OpenTelemetry specification's default for OTLP/gRPC.
    public static let `default` = OTLPGRPCEndpoint(host: "localhost")

    /// `http://host:port`, as the `OTEL_EXPORTER_OTLP_ENDPOINT` spelling of this endpoint.
    public var description: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Parses `http://host:port`, `host:port` or `host` (port 4317), IPv6 literals in brackets.
    ///
    /// - Throws: ``Invalid`` with the reason: an `https://` or other scheme, a path (gRPC
    ///   endpoints have none), an empty host, or a port outside 1...65535.
    public init(parsing text: String) throws(Invalid) {
        var rest = Substring(text.trimmingSpaces())
        if rest.lowercased().hasPrefix("https://") {
            throw Invalid("TLS is not supported, this exporter speaks plaintext gRPC only: use http://")
        }
        if rest.lowercased().hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        } else if rest.contains("://") {
            throw Invalid("expected http://host:port or host:port")
        }
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[slash...]
            guard path == "/" else { throw Invalid("a gRPC endpoint has no path, got \(path)") }
            rest = rest[..<slash]
        }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Invalid("unclosed [ in an IPv6 address") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            guard Self.isIPv6Literal(String(host)) else { throw Invalid("'\(host)' is not an IPv6 address") }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Invalid("expected :port after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
            guard !(portText?.contains(":") ?? false) else { throw Invalid("put an IPv6 address in brackets: [::1]:4317") }
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw Invalid("the host is empty") }
        if host.contains(":"), !Self.isIPv6Literal(String(host)) { throw Invalid("'\(host)' is not an IPv6 address") }
        var port = 4317
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw Invalid("the port must be a number in 1...65535, got '\(portText)'")
            }
            port = parsed
        }
        self.init(host: String(host), port: port)
    }

    /// Throws ``Invalid`` unless the transport can use this endpoint: a port in 1...65535 and
    /// a non-empty host, a valid IPv6 literal when it has colons.
    func validate() throws(Invalid) {
        guard (1...65535).contains(port) else { throw Invalid("the port must be in 1...65535, got \(port)") }
        guard !host.isEmpty else { throw Invalid("the host is empty") }
        if host.contains(":"), !Self.isIPv6Literal(host) { throw Invalid("'\(host)' is not an IPv6 address") }
    }

    static func isIPv6Literal(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// The name-resolver target of the gRPC transport.
    var target: any ResolvableTarget {
        if host.contains(":") { return ResolvableTargets.IPv6.ipv6(address: host, port: port) }
        return ResolvableTargets.DNS(host: host, port: port)
    }

    /// Why an endpoint text was refused.
    public struct Invalid: Error, Hashable, CustomStringConvertible {
        /// The reason, without the text itself.
        public let description: String

        init(_ description: String) { self.description = description }
    }
}
