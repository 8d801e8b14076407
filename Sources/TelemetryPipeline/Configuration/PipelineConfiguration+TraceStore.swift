import TraceStorage

extension PipelineConfiguration {
    /// `exporters: tracestore:` — `storage` (`memory`, the default), `max_bytes` (default
    /// 64 MiB, the estimated size of the stored spans) and `retention` (default 1h).
    static func parseTraceStore(_ node: ConfigNode) throws(PipelineConfigurationError) -> TraceStore.Configuration {
        var configuration = TraceStore.Configuration()
        let keys = try node.entries(allowing: ["storage", "max_bytes", "retention"])
        if let value = keys["storage"] {
            let storage = try value.string()
            guard storage == "memory" else {
                throw value.invalid("storage '\(storage)' is not available; this build keeps traces in memory (storage: memory)")
            }
        }
        if let value = keys["max_bytes"] { configuration.maxBytes = try value.int(in: (1 << 20)...(1 << 40)) }
        if let value = keys["retention"] { configuration.retention = try value.duration(minimum: .seconds(1)) }
        return configuration
    }
}
