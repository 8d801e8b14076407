import Synchronization

/// Where a demo service listens; the port is learned when the server binds, so services
/// configured with port 0 can still find each other.
public final class ServiceAddress: Sendable {
    /// The host the service binds to and is called at.
    public let host: String
    private let configuredPort: Int
    private let bound = Mutex<Int?>(nil)

    /// Creates an address; `port` 0 asks the system for a free port.
    public init(host: String, port: Int) {
        self.host = host
        self.configuredPort = port
    }

    /// The bound port, else the configured one.
    public var port: Int { bound.withLock { $0 } ?? configuredPort }

    /// Whether the server has bound its port.
    public var isBound: Bool { bound.withLock { $0 != nil } }

    /// `http://host:port`; a wildcard bind address is called on loopback.
    public var baseURL: String {
        let callable =
            switch host {
            case "0.0.0.0", "": "127.0.0.1"
            case "::", "[::]": "[::1]"
            default: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            }
        return "http://\(callable):\(port)"
    }

    /// The port configured before binding.
    var requestedPort: Int { configuredPort }

    func recordBound(_ port: Int) {
        bound.withLock { $0 = port }
    }
}
