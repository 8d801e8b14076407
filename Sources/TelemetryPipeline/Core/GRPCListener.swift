import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import ServiceLifecycle

/// Serves gRPC services on one endpoint over plaintext HTTP/2, as a `Service` like the
/// HTTP listeners, reporting the port it bound (useful with port 0).
struct GRPCListener: Service {
    let endpoint: Endpoint
    let services: [any RegistrableRPCService]
    /// The largest message the transport reads, compressed or inflated. The transport resets
    /// the stream of a larger one (clients see `UNAVAILABLE` or `CANCELLED`, not
    /// `RESOURCE_EXHAUSTED`), so receivers give it room above their own limit and answer
    /// messages between the two with `RESOURCE_EXHAUSTED` themselves.
    let maxMessageBytes: Int
    let onBound: @Sendable (Endpoint) -> Void

    func run() async throws {
        guard let address = Self.socketAddress(of: endpoint) else {
            throw GRPCListenerError(message: "cannot listen on \(endpoint): the host is not an IP address")
        }
        let maxMessageBytes = maxMessageBytes
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: .plaintext,
            config: .defaults { config in
                // OTLP servers must accept gzip requests (OTLP specification, "Protocol Details").
                config.compression.enabledAlgorithms = .all
                config.rpc.maxRequestPayloadSize = maxMessageBytes
            })
        let server = GRPCServer(transport: transport, services: services)
        let endpoint = endpoint
        let onBound = onBound
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                if let bound = try await server.listeningAddress {
                    onBound(Endpoint(host: endpoint.host, port: bound.ipv4?.port ?? bound.ipv6?.port ?? endpoint.port))
                }
            }
        } onGracefulShutdown: {
            // Stops accepting connections; calls in flight finish.
            server.beginGracefulShutdown()
        }
    }

    /// The transport's address for an IP literal or `localhost`; `nil` for other host names,
    /// which the transport cannot bind.
    static func socketAddress(of endpoint: Endpoint) -> GRPCNIOTransportCore.SocketAddress? {
        let host = endpoint.host == "localhost" ? "127.0.0.1" : endpoint.host
        guard let parsed = try? NIOCore.SocketAddress(ipAddress: host, port: endpoint.port) else { return nil }
        switch parsed {
        case .v4: return .ipv4(host: host, port: endpoint.port)
        case .v6: return .ipv6(host: host, port: endpoint.port)
        case .unixDomainSocket: return nil
        }
    }
}

struct GRPCListenerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
