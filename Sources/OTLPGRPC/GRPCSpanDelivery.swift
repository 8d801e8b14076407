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
    private let clock: ElapsedClock
    private let jitter: @Sendable () -> Double
    private let logger: Logger
    private let metrics: DeliveryMetrics
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
        self.clock = clock
        self.jitter = jitter
        self.logger = logger
        self.metrics = DeliveryMetrics(exporter: configuration.exporterName, factory: metricsFactory)
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
        let started = clock.elapsed()
        metrics.pendingChanged(by: spanCount)
        defer { metrics.pendingChanged(by: -spanCount) }
        let policy = configuration.retryPolicy
        var attempt = 0
        while true {
            attempt += 1
            let (outcome, response) = await self.attempt(body)
            let serverDelay: Duration?
            let failure: String
            switch outcome {
            case .accepted:
                metrics.exported(spanCount)
                metrics.recordLatency(clock.elapsed() - started)
                return response
            case .permanent(let reason):
                if Task.isCancelled || isStopped { throw shutdown(spanCount) }
                if !policy.retriedByCaller {
                    metrics.dropped(spanCount, reason: .rejected)
                    metrics.failed()
                }
                logger.warning("export rejected, not retrying", metadata: ["endpoint": "\(endpoint)", "status": "\(reason)", "spans": "\(spanCount)"])
                throw .rejected(endpoint: endpoint, reason: reason)
            case .retryable(let after, let reason):
                if Task.isCancelled || isStopped { throw shutdown(spanCount) }
                serverDelay = after
                failure = reason
            }
            // A caller with its own retry layer (the pipeline's retry_on_failure) retries and
            // counts drops itself.
            if policy.retriedByCaller {
                throw .retriesExhausted(endpoint: endpoint, attempts: attempt, last: failure, retryAfter: serverDelay)
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: serverDelay, jitter: jitter())
            guard attempt < policy.maximumAttempts, clock.elapsed() - started + delay <= policy.maximumElapsed else {
                metrics.dropped(spanCount, reason: .retriesExhausted)
                metrics.failed()
                logger.warning(
                    "export failed, giving up", metadata: ["endpoint": "\(endpoint)", "attempts": "\(attempt)", "last": "\(failure)", "spans": "\(spanCount)"])
                throw .retriesExhausted(endpoint: endpoint, attempts: attempt, last: failure, retryAfter: serverDelay)
            }
            logger.debug("export failed, retrying", metadata: ["endpoint": "\(endpoint)", "attempt": "\(attempt)", "last": "\(failure)", "delay": "\(delay)"])
            do {
                try await clock.sleep(delay)
            } catch {
                throw shutdown(spanCount)
            }
            if isStopped { throw shutdown(spanCount) }
            metrics.retried()
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

    private func shutdown(_ spanCount: Int) -> GRPCExportError {
        if !configuration.retryPolicy.retriedByCaller { metrics.dropped(spanCount, reason: .shutdown) }
        return .shutdown(endpoint: configuration.endpoint)
    }
}
