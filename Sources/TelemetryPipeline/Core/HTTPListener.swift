import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds a Hummingbird server for one endpoint, reporting the port it bound (useful with port 0).
enum HTTPListener {
    static func service(
        router: Router<BasicRequestContext>, endpoint: Endpoint, logger: Logger,
        onBound: @escaping @Sendable (Endpoint) -> Void
    ) -> any Service {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(endpoint.host, port: endpoint.port), serverName: nil),
            onServerRunning: { channel in
                onBound(Endpoint(host: endpoint.host, port: channel.localAddress?.port ?? endpoint.port))
            },
            logger: quiet)
    }
}
