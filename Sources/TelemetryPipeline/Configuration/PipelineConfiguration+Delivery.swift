extension PipelineConfiguration {
    /// Keys an exporter with delivery settings accepts besides its own.
    static let deliveryKeys = ["retry_on_failure", "sending_queue"]
    static let extensionTypes = ["file_storage"]

    /// Reads `retry_on_failure` and `sending_queue` from an exporter's keys; `storage` must
    /// name a `file_storage` extension listed in `service.extensions`.
    static func parseDelivery(
        _ keys: [String: ConfigNode], enabledExtensions: Set<ComponentID>
    ) throws(PipelineConfigurationError) -> DeliverySettings {
        var delivery = DeliverySettings()
        if let node = keys["retry_on_failure"] {
            let fields = try node.entries(allowing: [
                "enabled", "initial_interval", "max_interval", "max_elapsed_time", "multiplier", "randomization_factor",
            ])
            var retry = RetrySettings()
            if let value = fields["enabled"] { retry.enabled = try value.bool() }
            if let value = fields["initial_interval"] { retry.initialInterval = try value.duration(minimum: .milliseconds(1)) }
            if let value = fields["max_interval"] { retry.maxInterval = try value.duration(minimum: .milliseconds(1)) }
            if let value = fields["max_elapsed_time"] { retry.maxElapsedTime = try value.duration() }
            if let value = fields["multiplier"] { retry.multiplier = try value.double(in: 1...100) }
            if let value = fields["randomization_factor"] { retry.randomizationFactor = try value.double(in: 0...1) }
            if retry.maxInterval < retry.initialInterval {
                throw (fields["max_interval"] ?? node).invalid("must not be below initial_interval")
            }
            delivery.retry = retry
        }
        if let node = keys["sending_queue"] {
            let fields = try node.entries(allowing: ["enabled", "num_consumers", "queue_size", "storage"])
            var queue = SendingQueueSettings()
            if let value = fields["enabled"] { queue.enabled = try value.bool() }
            if let value = fields["num_consumers"] { queue.numConsumers = try value.int(in: 1...1_000) }
            if let value = fields["queue_size"] { queue.queueSize = try value.int(in: 1...10_000_000) }
            if let value = fields["storage"] {
                let id = ComponentID(try value.string())
                guard enabledExtensions.contains(id) else {
                    throw value.invalid("extension '\(id)' is not defined under extensions and listed in service.extensions")
                }
                guard queue.enabled else { throw value.invalid("storage needs the sending queue enabled") }
                queue.storage = id
            }
            delivery.queue = queue
        }
        return delivery
    }

    /// Reads the `extensions` section, keeping those `service.extensions` lists.
    static func parseExtensions(
        _ section: ConfigNode?, service: ConfigNode?
    ) throws(PipelineConfigurationError) -> [ComponentID: FileStorageSettings] {
        var defined: [ComponentID: FileStorageSettings] = [:]
        for (key, node) in try section?.entries() ?? [] {
            let id = ComponentID(key)
            guard extensionTypes.contains(id.type) else {
                throw .unknownComponent(kind: "extension type", id: id.type, in: "extensions", file: node.file, line: node.line, known: extensionTypes)
            }
            let fields = try node.entries(allowing: ["directory", "max_size_mib", "fsync"])
            guard let directory = fields["directory"] else { throw .missingKey("directory", in: node.path, file: node.file, line: node.line) }
            var settings = FileStorageSettings(directory: try directory.string())
            guard !settings.directory.isEmpty else { throw directory.invalid("must not be empty") }
            if let value = fields["max_size_mib"] { settings.maxSizeMiB = try value.int(in: 1...1_048_576) }
            if let value = fields["fsync"] { settings.fsync = try value.bool() }
            defined[id] = settings
        }
        var enabled: [ComponentID: FileStorageSettings] = [:]
        guard let list = try service?.entries().first(where: { $0.key == "extensions" })?.value else { return enabled }
        for element in try list.elements() {
            let id = ComponentID(try element.string())
            guard let settings = defined[id] else {
                throw .unknownComponent(
                    kind: "extension", id: id.description, in: list.path, file: element.file, line: element.line,
                    known: defined.keys.map(\.description))
            }
            enabled[id] = settings
        }
        return enabled
    }
}
