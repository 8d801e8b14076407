extension PipelineConfiguration {
    /// `receivers.zipkin`: like the Collector's, its HTTP settings sit at the top level
    /// (`zipkin: {endpoint: 0.0.0.0:9411}`), with no `protocols` section.
    static func parseZipkinReceiver(_ node: ConfigNode) throws(PipelineConfigurationError) -> HTTPReceiverSettings {
        var settings = HTTPReceiverSettings(endpoint: Endpoint(host: "0.0.0.0", port: 9411))
        let keys = try node.entries(allowing: ["endpoint", "max_request_body_size"])
        if let value = keys["endpoint"] { settings.endpoint = try value.endpoint() }
        if let value = keys["max_request_body_size"] { settings.maxRequestBodySize = try value.int(in: 1...(1 << 30)) }
        return settings
    }
}
