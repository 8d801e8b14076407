import Testing

@testable import TelemetryPipeline

/// `retry_on_failure`, `sending_queue` and the `file_storage` extension as the Collector writes them.
@Suite struct DeliveryConfigurationTests {
    static func yaml(exporter: String, extensions: String = "", serviceExtensions: String = "") -> String {
        """
        receivers: {otlp: {}}
        \(extensions)
        exporters:
          otlphttp:
            endpoint: http://backend:4318
        \(exporter)
        service:
        \(serviceExtensions)
          pipelines: {traces: {receivers: [otlp], exporters: [otlphttp]}}
        """
    }

    static func delivery(_ configuration: PipelineConfiguration) -> DeliverySettings? {
        configuration.exporters[ComponentID("otlphttp")]?.delivery
    }

    @Test func withoutTheBlocksAnExporterGetsTheCollectorDefaults() throws {
        let configuration = try PipelineConfiguration.parse(yaml: Self.yaml(exporter: ""), file: "c.yaml")
        #expect(Self.delivery(configuration) == DeliverySettings())
    }

    @Test func everyKeyIsRead() throws {
        let exporter = """
                retry_on_failure: {enabled: true, initial_interval: 100ms, max_interval: 2s, max_elapsed_time: 0s, multiplier: 2, randomization_factor: 0}
                sending_queue: {enabled: true, num_consumers: 2, queue_size: 50, storage: file_storage/q}
            """
        let configuration = try PipelineConfiguration.parse(
            yaml: Self.yaml(
                exporter: exporter, extensions: "extensions: {file_storage/q: {directory: /var/lib/q, max_size_mib: 64, fsync: false}}",
                serviceExtensions: "  extensions: [file_storage/q]"),
            file: "c.yaml")
        let delivery = try #require(Self.delivery(configuration))
        #expect(delivery.retry.initialInterval == .milliseconds(100))
        #expect(delivery.retry.maxInterval == .seconds(2))
        #expect(delivery.retry.maxElapsedTime == .zero)
        #expect(delivery.retry.multiplier == 2)
        #expect(delivery.retry.randomizationFactor == 0)
        #expect(delivery.queue.numConsumers == 2)
        #expect(delivery.queue.queueSize == 50)
        #expect(delivery.queue.storage == ComponentID("file_storage/q"))
        var storage = FileStorageSettings(directory: "/var/lib/q")
        storage.maxSizeMiB = 64
        storage.fsync = false
        #expect(configuration.storages == [ComponentID("file_storage/q"): storage])
    }

    @Test(arguments: [
        ("    retry_on_failure: {multiplier: 0.5}", 6, "exporters.otlphttp.retry_on_failure.multiplier"),
        ("    retry_on_failure: {initial_interval: soon}", 6, "exporters.otlphttp.retry_on_failure.initial_interval"),
        ("    retry_on_failure: {randomization_factor: 2}", 6, "exporters.otlphttp.retry_on_failure.randomization_factor"),
        ("    retry_on_failure: {initial_interval: 10s, max_interval: 1s}", 6, "exporters.otlphttp.retry_on_failure.max_interval"),
        ("    sending_queue: {num_consumers: 0}", 6, "exporters.otlphttp.sending_queue.num_consumers"),
        ("    sending_queue: {queue_size: -1}", 6, "exporters.otlphttp.sending_queue.queue_size"),
        ("    sending_queue: {enabled: maybe}", 6, "exporters.otlphttp.sending_queue.enabled"),
        ("    sending_queue: {storage: file_storage}", 6, "exporters.otlphttp.sending_queue.storage"),
    ])
    func aBadValueNamesFileLineAndKey(exporter: String, line: Int, keyPath: String) {
        #expect {
            _ = try PipelineConfiguration.parse(yaml: Self.yaml(exporter: exporter), file: "bad.yaml")
        } throws: { error in
            guard let error = error as? PipelineConfigurationError else { return false }
            return error.file == "bad.yaml" && error.line == line && error.keyPath == keyPath
        }
    }

    @Test func anUnknownKeySuggestsTheNearest() {
        #expect {
            _ = try PipelineConfiguration.parse(yaml: Self.yaml(exporter: "    sending_queue: {num_consumer: 2}"), file: "bad.yaml")
        } throws: { error in
            "\(error)".contains("did you mean 'num_consumers'?") && (error as? PipelineConfigurationError)?.line == 6
        }
    }

    @Test func storageMustNameAnExtensionTheServiceEnables() {
        // Defined but not listed in service.extensions.
        #expect {
            _ = try PipelineConfiguration.parse(
                yaml: Self.yaml(
                    exporter: "    sending_queue: {storage: file_storage}", extensions: "extensions: {file_storage: {directory: /tmp/q}}"),
                file: "bad.yaml")
        } throws: { error in
            "\(error)".contains("'file_storage' is not defined under extensions and listed in service.extensions")
        }
        // Listed but not defined.
        #expect {
            _ = try PipelineConfiguration.parse(
                yaml: Self.yaml(exporter: "", serviceExtensions: "  extensions: [file_storage]"), file: "bad.yaml")
        } throws: { error in
            (error as? PipelineConfigurationError)?.keyPath == "service.extensions" && "\(error)".contains("unknown extension 'file_storage'")
        }
        // No directory.
        #expect {
            _ = try PipelineConfiguration.parse(
                yaml: Self.yaml(exporter: "", extensions: "extensions: {file_storage: {}}", serviceExtensions: "  extensions: [file_storage]"),
                file: "bad.yaml")
        } throws: { error in
            (error as? PipelineConfigurationError)?.keyPath == "extensions.file_storage.directory"
        }
    }
}
