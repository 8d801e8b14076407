import CoreMetrics
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import OTLPExporter
import Synchronization
import TelemetryHTTPExport

/// Calls `TraceService/Export` with encoded `ExportTraceServiceRequest` bytes: one attempt
/// classified as an ``ExportAttemptOutcome``, and a retry loop over such attempts with the
/// HTTP exporters' backoff, give-up bounds and self-metrics.
final class GRPCSpanDelivery: Sendable {
    private let configuration: OTLPGRPCSpanExporter.Configuration
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let logger: Logger
    private let metrics: DeliveryMetrics
    private let retryLoop: DeliveryRetryLoop
    private let stopped = Mutex(false)

    init(
        configuration: OTLPGRPCSpanExporter.Configuration,
        client: GRPCClient<HTTP2ClientTransport.Posix>,
        clock: ElapsedClock,
        jitter: @escaping @Sendable () -> Double,
        logger: Logger,
        metricsFactory: any MetricsFactory
    ) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        let metrics = DeliveryMetrics(exporter: configuration.exporterName, factory: metricsFactory)
        self.metrics = metrics
        retryLoop = DeliveryRetryLoop(
            endpoint: "\(configuration.endpoint)", policy: configuration.retryPolicy, clock: clock, jitter: jitter, logger: logger,
            metrics: metrics)
    }

    /// Whether ``stop()`` was called: the client is closing, so nothing more is sent.
    var isStopped: Bool { stopped.withLock { $0 } }

    /// Marks the delivery stopped and reports whether it already was. A retry waiting to run
    /// gives up when it wakes, counting its spans as dropped at shutdown rather than as
    /// rejected by the server (the closed client would otherwise look like a refusal).
    func stop() -> Bool {
        stopped.withLock { state in
            defer { state = true }
            return state
        }
    }

    /// One call, no retry: the classified outcome and, when accepted, the response bytes.
    func attempt(_ body: [UInt8]) async -> (outcome: ExportAttemptOutcome, response: [UInt8]) {
        var metadata = Metadata()
        for header in configuration.headers { metadata.addString(header.value, forKey: header.name) }
        var options = CallOptions.defaults
        options.timeout = configuration.timeout
        options.compression = configuration.compression == .gzip ? .gzip : CompressionAlgorithm.none
        do {
            let result = try await client.unary(
                request: ClientRequest(message: body, metadata: metadata),
                descriptor: OTLPGRPC.traceExport,
                serializer: RawBytesSerializer(),
                deserializer: RawBytesDeserializer(),
                options: options
            ) { response in
                response.accepted.flatMap { $0.message }
            }
            switch result {
            case .success(let response): return (.accepted, response)
            case .failure(let error): return (.classifying(error), [])
            }
        } catch let error as RPCError {
            return (.classifying(error), [])
        } catch let error as RuntimeError where error.code == .clientIsStopped {
            return (.permanent(reason: "the client is shut down"), [])
        } catch {
            // Transport failures other than a stopped client are connection trouble, worth retrying.
            return (.retryable(after: nil, reason: "\(error)"), [])
        }
    }

    /// Sends one request carrying `spanCount` spans, retrying retryable outcomes, and returns
    /// the response bytes.
    func deliver(_ body: [UInt8], spanCount: Int) async throws(GRPCExportError) -> [UInt8] {
        let endpoint = configuration.endpoint
        do {
            return try await retryLoop.deliver(spanCount: spanCount, isStopping: { Task.isCancelled || isStopped }) {
                () async -> DeliveryAttempt<[UInt8], GRPCExportError> in
                switch await attempt(body) {
                case (.accepted, let response): .accepted(response)
                case (.permanent(let reason), _): .rejected(.rejected(endpoint: endpoint, reason: reason), status: reason)
                case (.retryable(let after, let reason), _): .retryable(after: after, reason: reason)
                }
            }.response
        } catch {
            switch error {
            case .rejected(let refusal): throw refusal
            case .retriesExhausted(let attempts, let last, let retryAfter):
                throw .retriesExhausted(endpoint: endpoint, attempts: attempts, last: last, retryAfter: retryAfter)
            case .shutdown: throw .shutdown(endpoint: endpoint)
            }
        }
    }

    /// Counts and logs spans the server accepted the request for but refused (OTLP partial success).
    func recordPartialSuccess(in response: [UInt8]) {
        guard let partial = OTLPHTTPEncoding.partialSuccess(in: response, format: .protobuf),
            partial.rejected > 0 || !partial.message.isEmpty
        else { return }
        metrics.dropped(partial.rejected, reason: .partialSuccess)
        logger.warning(
            "backend refused part of a batch",
            metadata: [
                "endpoint": "\(configuration.endpoint)", "rejected_spans": "\(partial.rejected)", "message": "\(partial.message)",
            ])
    }
}
