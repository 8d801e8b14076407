import Testing

@testable import TelemetryPipeline

/// `exporters.prometheusremotewrite` with the Collector's keys.
@Suite struct RemoteWriteConfigurationTests {
    static func yaml(_ exporter: String) -> String {
        """
        receivers: {otlp: {}}
        exporters:
          prometheusremotewrite:
        \(exporter)
        service:
          pipelines: {traces: {receivers: [otlp], exporters: [prometheusremotewrite]}}
        """
    }

    static func settings(_ exporter: String) throws(PipelineConfigurationError) -> RemoteWriteSettings? {
        let configuration = try PipelineConfiguration.parse(yaml: yaml(exporter), file: "rw.yaml")
        guard case .prometheusRemoteWrite(let settings) = configuration.exporters[ComponentID("prometheusremotewrite")] else { return nil }
        return settings
    }

    @Test func onlyTheEndpointIsRequired() throws {
        let settings = try #require(try Self.settings("    endpoint: http://prometheus:9090/api/v1/write"))
        var expected = RemoteWriteSettings(endpoint: "http://prometheus:9090/api/v1/write")
        expected.timeout = .seconds(5)
        #expect(settings == expected)
        #expect(settings.queueSize == 120 && settings.numConsumers == 1 && settings.maxBatchSizeBytes == 3_000_000)
        #expect(settings.exportInterval == .seconds(15))
        #expect(settings.retry == RetrySettings())
    }

    @Test func everyKeyIsRead() throws {
        let exporter = """
                endpoint: https://mimir.example/api/v1/push
                headers: {X-Scope-OrgID: tenant-1}
                timeout: 2s
                external_labels: {cluster: eu-1, instance: gw-a}
                resource_to_telemetry_conversion: {enabled: true}
                retry_on_failure: {initial_interval: 100ms, max_interval: 1s, max_elapsed_time: 10s}
                remote_write_queue: {enabled: false, queue_size: 7, num_consumers: 2}
                max_batch_size_bytes: 65536
                export_interval: 500ms
            """
        let settings = try #require(try Self.settings(exporter))
        #expect(settings.headers == ["X-Scope-OrgID": "tenant-1"])
        #expect(settings.timeout == .seconds(2))
        #expect(settings.externalLabels == ["cluster": "eu-1", "instance": "gw-a"])
        #expect(settings.resourceToTelemetry)
        #expect(settings.retry.initialInterval == .milliseconds(100))
        #expect(settings.retry.maxElapsedTime == .seconds(10))
        #expect(!settings.queueEnabled && settings.queueSize == 7 && settings.numConsumers == 2)
        #expect(settings.maxBatchSizeBytes == 65536)
        #expect(settings.exportInterval == .milliseconds(500))
    }

    @Test(arguments: [
        ("    timeout: 2s", 4, "exporters.prometheusremotewrite.endpoint"),
        ("    endpoint: prometheus:9090", 4, "exporters.prometheusremotewrite.endpoint"),
        ("    endpoint: http://p/api/v1/write\n    external_labels: {1cluster: x}", 5, "exporters.prometheusremotewrite.external_labels.1cluster"),
        ("    endpoint: http://p/api/v1/write\n    external_labels: {__name__: x}", 5, "exporters.prometheusremotewrite.external_labels.__name__"),
        (
            "    endpoint: http://p/api/v1/write\n    remote_write_queue: {num_consumers: 0}", 5,
            "exporters.prometheusremotewrite.remote_write_queue.num_consumers"
        ),
        ("    endpoint: http://p/api/v1/write\n    retry_on_failure: {multiplier: 0.5}", 5, "exporters.prometheusremotewrite.retry_on_failure.multiplier"),
        ("    endpoint: http://p/api/v1/write\n    export_interval: soon", 5, "exporters.prometheusremotewrite.export_interval"),
        ("    endpoint: http://p/api/v1/write\n    sending_queue: {}", 5, "exporters.prometheusremotewrite.sending_queue"),
        (
            "    endpoint: http://p/api/v1/write\n    resource_to_telemetry_conversion: {enabled: maybe}", 5,
            "exporters.prometheusremotewrite.resource_to_telemetry_conversion.enabled"
        ),
    ])
    func aBadValueNamesItsLineAndKey(exporter: String, line: Int, keyPath: String) {
        do {
            _ = try Self.settings(exporter)
            Issue.record("\(exporter) parsed")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.keyPath == keyPath, "\(error)")
            #expect(error.description.hasPrefix("rw.yaml:\(line): "))
        }
    }

    @Test func identityResourceAndExternalLabelsMergeInThatOrder() {
        var settings = RemoteWriteSettings(endpoint: "http://p")
        #expect(
            RemoteWriteExporter.labels(settings: settings, job: "gw", instance: "host:8888")
                == [RemoteWriteLabel("instance", "host:8888"), RemoteWriteLabel("job", "gw")])
        settings.resourceToTelemetry = true
        settings.externalLabels = ["instance": "gw-a", "cluster": "eu"]
        #expect(
            RemoteWriteExporter.labels(settings: settings, job: "gw", instance: "host:8888") == [
                RemoteWriteLabel("cluster", "eu"), RemoteWriteLabel("instance", "gw-a"), RemoteWriteLabel("job", "gw"),
                RemoteWriteLabel("service_instance_id", "host:8888"), RemoteWriteLabel("service_name", "gw"),
                RemoteWriteLabel("service_version", PipelineDaemon.version),
            ])
    }
}
