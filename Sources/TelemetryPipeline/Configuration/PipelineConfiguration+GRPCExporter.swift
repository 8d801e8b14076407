import OTLPGRPC

extension PipelineConfiguration {
    /// The Collector's `otlp` exporter keys: `endpoint`, `tls.insecure`, `compression`, `timeout`,
    /// `headers`, and the delivery keys `retry_on_failure` and `sending_queue`. Only plaintext is supported, so `tls.insecure: false` (or an `https://`
    /// endpoint) is refused here rather than sending in the clear; without a `tls` block the
    /// exporter is plaintext too, where the Collector would default to TLS. Under
    /// `loadbalancing` the resolver supplies the endpoint (`endpointFromResolver`).
    static func parseGRPCExporter(
        _ node: ConfigNode, enabledExtensions: Set<ComponentID> = [], endpointFromResolver: Bool = false
    ) throws(PipelineConfigurationError) -> GRPCExporterSettings {
        let keys = try node.entries(allowing: ["endpoint", "tls", "compression", "timeout", "headers"] + deliveryKeys)
        var settings: GRPCExporterSettings
        if endpointFromResolver {
            if let given = keys["endpoint"] { throw given.invalid("the resolver sets each backend's endpoint") }
            settings = GRPCExporterSettings(endpoint: OTLPGRPCEndpoint(host: "127.0.0.1", port: 4317))
        } else {
            guard let endpointNode = keys["endpoint"] else { throw .missingKey("endpoint", in: node.path, file: node.file, line: node.line) }
            let endpointText = try endpointNode.string()
            do {
                settings = GRPCExporterSettings(endpoint: try OTLPGRPCEndpoint(parsing: endpointText))
            } catch {
                throw endpointNode.invalid("'\(endpointText)' is not a gRPC endpoint: \(error)")
            }
        }
        if let tls = keys["tls"] {
            let tlsKeys = try tls.entries(allowing: ["insecure"])
            if let insecure = tlsKeys["insecure"], try !insecure.bool() {
                throw insecure.invalid("only plaintext gRPC is supported (TLS is not): set insecure: true")
            }
        }
        if let value = keys["compression"] {
            switch try value.string() {
            case "gzip": settings.gzip = true
            case "none", "": settings.gzip = false
            default: throw value.invalid("expected gzip or none")
            }
        }
        if let value = keys["timeout"] { settings.timeout = try value.duration(minimum: .nanoseconds(1)) }
        for (name, value) in try keys["headers"]?.entries() ?? [] { settings.headers[name.lowercased()] = try value.string() }
        settings.delivery = try parseDelivery(keys, enabledExtensions: enabledExtensions)
        return settings
    }
}
