import OTLPGRPC

/// The `loadbalancing` exporter's settings, shaped like the Collector's: what a span is
/// routed by, the protocol each backend is sent with, and where the backends come from.
package struct LoadBalancingSettings: Sendable, Equatable {
    /// What picks a span's backend (`routing_key`).
    package enum RoutingKey: String, Sendable, Equatable {
        /// Every span of a trace goes to one backend (the default), as tail sampling needs.
        case traceID
        /// Every span of a service goes to one backend, as per-service metrics need.
        case service
    }

    /// How each backend is sent to (`protocol`): the `otlp` (gRPC) or `otlphttp` exporter's
    /// keys without `endpoint`, including their `retry_on_failure` and `sending_queue`.
    package enum BackendProtocol: Sendable, Equatable {
        case otlp(GRPCExporterSettings)
        case otlphttp(HTTPExporterSettings)

        /// The port a backend listed without one gets: 4317 for gRPC, 4318 for HTTP.
        package var defaultPort: Int {
            switch self {
            case .otlp: 4317
            case .otlphttp: 4318
            }
        }

        package var delivery: DeliverySettings {
            switch self {
            case .otlp(let grpc): grpc.delivery
            case .otlphttp(let http): http.delivery
            }
        }
    }

    /// Where the backends come from (`resolver`).
    package enum Resolver: Sendable, Equatable {
        /// A fixed list of `host:port` (`static.hostnames`).
        case fixed(hostnames: [String])
        /// Every address a name resolves to, re-resolved every `interval`: a Kubernetes
        /// headless service, for instance (`dns.hostname`, `port`, `interval` default 5s,
        /// `timeout` default 1s).
        case dns(hostname: String, port: Int, interval: Duration, timeout: Duration)
    }

    package var routingKey = RoutingKey.traceID
    package var backendProtocol: BackendProtocol
    package var resolver: Resolver

    /// A backend's name on the ring: `host:port`, an IPv6 host in brackets.
    package static func backendName(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// One backend's exporter settings: the protocol's, aimed at `endpoint` (`host:port`).
    package func exporterSettings(for endpoint: String) throws -> ExporterSettings {
        switch backendProtocol {
        case .otlp(var grpc):
            grpc.endpoint = try OTLPGRPCEndpoint(parsing: endpoint)
            return .otlpGRPC(grpc)
        case .otlphttp(var http):
            http.endpoint = "http://\(endpoint)"
            return .otlphttp(http)
        }
    }

    /// How the routing stage itself delivers to the backends' queues: without a queue of its
    /// own (a backend's queue refuses only when full), retrying only while no backend is
    /// known, so the pipeline waits and the receivers answer 503 rather than losing spans.
    package static let routingDelivery: DeliverySettings = {
        var delivery = DeliverySettings()
        delivery.queue.enabled = false
        delivery.retry.initialInterval = .milliseconds(200)
        delivery.retry.maxInterval = .seconds(5)
        return delivery
    }()
}

extension PipelineConfiguration {
    static func parseLoadBalancing(
        _ node: ConfigNode, enabledExtensions: Set<ComponentID>
    ) throws(PipelineConfigurationError) -> LoadBalancingSettings {
        let keys = try node.entries(allowing: ["routing_key", "protocol", "resolver"])
        var routingKey = LoadBalancingSettings.RoutingKey.traceID
        if let value = keys["routing_key"] {
            switch try value.string() {
            case "traceID": routingKey = .traceID
            case "service": routingKey = .service
            case let other: throw value.invalid("'\(other)' is not a routing key: expected traceID or service")
            }
        }
        guard let protocolNode = keys["protocol"] else { throw .missingKey("protocol", in: node.path, file: node.file, line: node.line) }
        let protocols = try protocolNode.entries(allowing: ["otlp", "otlphttp"])
        guard protocols.count == 1, let (name, settingsNode) = protocols.first else {
            throw protocolNode.invalid("expected exactly one of otlp or otlphttp")
        }
        let backendProtocol: LoadBalancingSettings.BackendProtocol =
            name == "otlp"
            ? .otlp(try parseGRPCExporter(settingsNode, enabledExtensions: enabledExtensions, endpointFromResolver: true))
            : .otlphttp(
                try parseHTTPExporter(settingsNode, type: "otlphttp", enabledExtensions: enabledExtensions, endpointFromResolver: true))
        let queue = backendProtocol.delivery.queue
        if !queue.enabled {
            throw settingsNode.invalid("a backend's sending_queue must stay enabled: a removed backend's spans are re-routed from it")
        }
        if queue.storage != nil {
            throw settingsNode.invalid("sending_queue.storage is not supported under loadbalancing; journal the routing tier's intake instead")
        }
        guard let resolverNode = keys["resolver"] else { throw .missingKey("resolver", in: node.path, file: node.file, line: node.line) }
        let resolver = try parseResolver(resolverNode, defaultPort: backendProtocol.defaultPort)
        return LoadBalancingSettings(routingKey: routingKey, backendProtocol: backendProtocol, resolver: resolver)
    }

    private static func parseResolver(
        _ node: ConfigNode, defaultPort: Int
    ) throws(PipelineConfigurationError) -> LoadBalancingSettings.Resolver {
        let resolvers = try node.entries(allowing: ["static", "dns"])
        guard resolvers.count == 1, let (name, settings) = resolvers.first else { throw node.invalid("expected exactly one of static or dns") }
        if name == "static" {
            let keys = try settings.entries(allowing: ["hostnames"])
            guard let list = keys["hostnames"] else { throw .missingKey("hostnames", in: settings.path, file: settings.file, line: settings.line) }
            var hostnames: [String] = []
            for element in try list.elements() {
                let text = try element.string()
                do {
                    // Parsed for validation; kept as written (with the default port added), so
                    // every routing instance names, and therefore hashes, a backend alike.
                    let endpoint = try OTLPGRPCEndpoint(parsing: text.contains(":") ? text : "\(text):\(defaultPort)")
                    hostnames.append(LoadBalancingSettings.backendName(host: endpoint.host, port: endpoint.port))
                } catch {
                    throw element.invalid("'\(text)' is not host:port: \(error)")
                }
            }
            guard !hostnames.isEmpty else { throw list.invalid("list at least one backend") }
            guard Set(hostnames).count == hostnames.count else { throw list.invalid("a backend is listed twice") }
            return .fixed(hostnames: hostnames)
        }
        let keys = try settings.entries(allowing: ["hostname", "port", "interval", "timeout"])
        guard let hostnameNode = keys["hostname"] else { throw .missingKey("hostname", in: settings.path, file: settings.file, line: settings.line) }
        let hostname = try hostnameNode.string()
        guard !hostname.isEmpty, !hostname.contains(":"), !hostname.contains("/") else {
            throw hostnameNode.invalid("expected a host name without port or scheme")
        }
        let port = try keys["port"]?.int(in: 1...65_535) ?? defaultPort
        let interval = try keys["interval"]?.duration(minimum: .milliseconds(100)) ?? .seconds(5)
        let timeout = try keys["timeout"]?.duration(minimum: .milliseconds(10)) ?? .seconds(1)
        return .dns(hostname: hostname, port: port, interval: interval, timeout: timeout)
    }
}
