/// Settings of the `prometheusremotewrite` exporter, with the Collector's key names: it
/// pushes the pipeline's own metrics (the registry the `prometheus` exporter serves) to a
/// Prometheus remote-write 1.0 receiver every `export_interval`.
package struct RemoteWriteSettings: Sendable, Equatable {
    /// The receiver's URL, e.g. `http://prometheus:9090/api/v1/write` (`endpoint`, required).
    package var endpoint: String
    /// Extra request headers, e.g. `Authorization` (`headers`).
    package var headers: [String: String] = [:]
    /// Deadline of one request (`timeout`, default 5s, as the Collector's).
    package var timeout: Duration = .seconds(5)
    /// Labels added to every series (`external_labels`); `job` and `instance` here replace
    /// the exporter's own identity labels.
    package var externalLabels: [String: String] = [:]
    /// Whether the pipeline's own resource becomes labels (`resource_to_telemetry_conversion.enabled`, default false).
    package var resourceToTelemetry = false
    /// Backoff for 5xx, 429 and connection failures (`retry_on_failure`, read like every exporter's).
    package var retry = RetrySettings()
    /// Whether snapshots queue for `numConsumers` senders (`remote_write_queue.enabled`, default
    /// true); when false each push is sent before the next snapshot is taken.
    package var queueEnabled = true
    /// Requests held before the oldest is dropped (`remote_write_queue.queue_size`, default
    /// 120, half an hour of 15 s snapshots). Lower than the Collector's 10 000: each request
    /// here is (part of) a snapshot of cumulative values, which the next one supersedes, so a long outage
    /// needs only the newest, not gigabytes of old ones.
    package var queueSize = 120
    /// Concurrent senders (`remote_write_queue.num_consumers`, default 1, where the Collector
    /// has 5): one sender keeps each series' samples in time order, which a remote-write
    /// receiver requires; several would let a retried older snapshot arrive after a newer one
    /// and be refused as out of order. One snapshot per `export_interval` needs no more.
    package var numConsumers = 1
    /// Largest request body before compression; larger snapshots are split by series
    /// (`max_batch_size_bytes`, default 3000000).
    package var maxBatchSizeBytes = 3_000_000
    /// How often the registry is pushed (`export_interval`, default 15s). The Collector's
    /// exporter has no such key because its metrics arrive pushed from a pipeline; ours
    /// snapshots the registry, so it needs a period: 15s is Prometheus's default scrape
    /// interval, so pushed series have the resolution scraped ones would.
    package var exportInterval: Duration = .seconds(15)

    package init(endpoint: String) {
        self.endpoint = endpoint
    }
}

extension PipelineConfiguration {
    static let remoteWriteKeys = [
        "endpoint", "headers", "timeout", "external_labels", "resource_to_telemetry_conversion", "retry_on_failure",
        "remote_write_queue", "max_batch_size_bytes", "export_interval",
    ]

    /// `exporters.prometheusremotewrite`.
    static func parseRemoteWriteExporter(_ node: ConfigNode) throws(PipelineConfigurationError) -> RemoteWriteSettings {
        let keys = try node.entries(allowing: remoteWriteKeys)
        guard let endpointNode = keys["endpoint"] else { throw .missingKey("endpoint", in: node.path, file: node.file, line: node.line) }
        let endpoint = try endpointNode.string()
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://"), endpoint.count > "https://".count else {
            throw endpointNode.invalid("expected an http:// or https:// URL, got '\(endpoint)'")
        }
        var settings = RemoteWriteSettings(endpoint: endpoint)
        for (name, value) in try keys["headers"]?.entries() ?? [] { settings.headers[name] = try value.string() }
        if let value = keys["timeout"] { settings.timeout = try value.duration(minimum: .milliseconds(1)) }
        for (name, value) in try keys["external_labels"]?.entries() ?? [] {
            guard RemoteWriteSnapshot.isValidLabelName(name), !name.hasPrefix("__") else {
                throw value.invalid("'\(name)' is not a label name: expected [a-zA-Z_][a-zA-Z0-9_]* not starting with __")
            }
            settings.externalLabels[name] = try value.string()
        }
        if let node = keys["resource_to_telemetry_conversion"] {
            let fields = try node.entries(allowing: ["enabled"])
            if let value = fields["enabled"] { settings.resourceToTelemetry = try value.bool() }
        }
        // The same `retry_on_failure` block every exporter reads; this exporter has its own
        // queue (`remote_write_queue`), so `sending_queue` is not among its keys.
        settings.retry = try parseDelivery(keys.filter { $0.key == "retry_on_failure" }, enabledExtensions: []).retry
        if let node = keys["remote_write_queue"] {
            let fields = try node.entries(allowing: ["enabled", "queue_size", "num_consumers"])
            if let value = fields["enabled"] { settings.queueEnabled = try value.bool() }
            if let value = fields["queue_size"] { settings.queueSize = try value.int(in: 1...1_000_000) }
            if let value = fields["num_consumers"] { settings.numConsumers = try value.int(in: 1...100) }
        }
        if let value = keys["max_batch_size_bytes"] { settings.maxBatchSizeBytes = try value.int(in: 1024...(1 << 30)) }
        if let value = keys["export_interval"] { settings.exportInterval = try value.duration(minimum: .milliseconds(10)) }
        return settings
    }
}
