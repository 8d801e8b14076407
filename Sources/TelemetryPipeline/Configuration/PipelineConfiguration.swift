import OTLPGRPC
import TraceStorage

/// A parsed, validated pipeline configuration (receivers, processors, exporters, and the
/// `service` section wiring them), shaped like the OpenTelemetry Collector's.
public struct PipelineConfiguration: Sendable {
    /// The file it was read from.
    public var file: String
    package var receivers: [ComponentID: ReceiverSettings]
    package var processors: [ComponentID: ProcessorSettings]
    package var exporters: [ComponentID: ExporterSettings]
    package var pipelines: [PipelineSettings]
    package var monitoring: MonitoringSettings
    /// `file_storage` extensions listed in `service.extensions`.
    package var storages: [ComponentID: FileStorageSettings] = [:]
}

/// An HTTP receiver's settings (`protocols.http` of `otlp`, `protocols.thrift_http` of `jaeger`, `zipkin` itself).
package struct HTTPReceiverSettings: Sendable, Equatable {
    /// Listening address (`endpoint`; default 0.0.0.0:4318 for otlp, 0.0.0.0:14268 for jaeger, 0.0.0.0:9411 for zipkin).
    package var endpoint: Endpoint
    /// Largest accepted body in bytes (`max_request_body_size`, default 8 MiB).
    package var maxRequestBodySize = 8 * 1024 * 1024
}

/// The OTLP/gRPC receiver's settings (`protocols.grpc` of `otlp`).
package struct GRPCReceiverSettings: Sendable, Equatable {
    /// Listening address (`endpoint`, default 0.0.0.0:4317); the host must be an IP address or localhost.
    package var endpoint = Endpoint(host: "0.0.0.0", port: 4317)
    /// Largest accepted message in MiB, after decompression (`max_recv_msg_size_mib`, default 4).
    package var maxReceiveMessageSizeMiB = 4
}

package enum ReceiverSettings: Sendable, Equatable {
    /// OTLP over HTTP, gRPC or both: the protocols listed under `protocols` (HTTP alone when none are).
    case otlp(http: HTTPReceiverSettings?, grpc: GRPCReceiverSettings?)
    case jaeger(HTTPReceiverSettings)
    /// `zipkin`: `endpoint` (default 0.0.0.0:9411) and `max_request_body_size` at the top level, as in the Collector.
    case zipkin(HTTPReceiverSettings)
}

package enum ProcessorSettings: Sendable, Equatable {
    case memoryLimiter(MemoryLimiter.Configuration)
    case batch(BatchProcessor.Configuration)
    case probabilisticSampler(ProbabilisticSampler.Configuration)
    case tailSampling(TailSamplingProcessor.Configuration)
    case attributes(AttributesProcessor.Configuration)
    case spanMetrics(SpanMetricsProcessor.Configuration)
    case errors
    case health(HealthBoard.Configuration)
    case circuitBreakers(BreakerBoard.Configuration)
}

/// Settings of an exporter that sends spans over HTTP (`jaeger`, `otlphttp`).
package struct HTTPExporterSettings: Sendable, Equatable {
    /// Full URL (`endpoint`); for otlphttp a base URL to which `/v1/traces` is appended.
    package var endpoint: String
    /// `proto` or `json` (`encoding`, otlphttp only, default proto).
    package var encoding = "proto"
    /// Per-request timeout (`timeout`, default 10s).
    package var timeout: Duration = .seconds(10)
    /// Extra request headers (`headers`).
    package var headers: [String: String] = [:]
    /// `retry_on_failure` and `sending_queue`.
    package var delivery = DeliverySettings()
}

/// Settings of the `otlp` exporter: OTLP/gRPC over plaintext HTTP/2.
package struct GRPCExporterSettings: Sendable, Equatable {
    /// `host:port` or `http://host:port` (`endpoint`).
    package var endpoint: OTLPGRPCEndpoint
    /// `gzip` or `none` (`compression`, default gzip, as the Collector's).
    package var gzip = true
    /// Deadline of one call (`timeout`, default 5s, as the Collector's).
    package var timeout: Duration = .seconds(5)
    /// Request metadata (`headers`).
    package var headers: [String: String] = [:]
    /// `retry_on_failure` and `sending_queue`, as for the HTTP exporters.
    package var delivery = DeliverySettings()
}

package enum ExporterSettings: Sendable, Equatable {
    /// `verbosity`: basic, normal or detailed (default basic).
    case debug(verbosity: String)
    /// `path`: JSON lines file.
    case file(path: String)
    /// `endpoint`: scrape address (default 0.0.0.0:9464).
    case prometheus(endpoint: Endpoint)
    case jaeger(HTTPExporterSettings)
    case otlphttp(HTTPExporterSettings)
    /// The Collector's `otlp` exporter: OTLP/gRPC.
    case otlpGRPC(GRPCExporterSettings)
    /// Keeps recent traces for the query API and the web UI (`storage`, `path`, `max_bytes`, `retention`).
    case traceStore(TraceStore.Configuration, storage: TraceStoreStorage = .memory)
    /// Routes spans by trace ID or service over a consistent-hash ring of backends.
    case loadBalancing(LoadBalancingSettings)
    /// Pushes the pipeline's metrics to a Prometheus remote-write receiver.
    case prometheusRemoteWrite(RemoteWriteSettings)

    /// The queue and retry settings of an exporter that sends to a backend; `nil` for the
    /// local ones (debug, file, prometheus), which the pipeline feeds directly.
    package var delivery: DeliverySettings? {
        switch self {
        case .jaeger(let http), .otlphttp(let http): http.delivery
        case .otlpGRPC(let grpc): grpc.delivery
        case .loadBalancing: LoadBalancingSettings.routingDelivery
        case .debug, .file, .prometheus, .traceStore, .prometheusRemoteWrite: nil
        }
    }
}

/// One `service.pipelines` entry.
package struct PipelineSettings: Sendable, Equatable {
    package var name: String
    package var receivers: [ComponentID]
    package var processors: [ComponentID]
    package var exporters: [ComponentID]
}

/// `service.monitoring`.
package struct MonitoringSettings: Sendable, Equatable {
    /// Monitoring API address (`endpoint`, default 0.0.0.0:8888).
    package var endpoint = Endpoint(host: "0.0.0.0", port: 8888)
    /// Name shown as the dashboard's gateway (`name`, default telemetry-pipeline).
    package var name = "telemetry-pipeline"
    /// Queue capacity per pipeline and exporter, in spans (`queue_size`, default 100000).
    package var queueSize = 100_000
}
