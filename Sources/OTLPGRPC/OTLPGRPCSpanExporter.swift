import CoreMetrics
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Metrics
import OTLPExporter
import TelemetryCore
import TelemetryHTTPExport

/// Exports spans over OTLP/gRPC (`TraceService/Export`, plaintext HTTP/2).
///
/// Requests are encoded by `OTLPTraceEncoder` and sent as raw bytes. Retryable statuses
/// (`UNAVAILABLE`, `DEADLINE_EXCEEDED`, `ABORTED`, `OUT_OF_RANGE`, `DATA_LOSS`, `CANCELLED`,
/// and `RESOURCE_EXHAUSTED` when it carries `RetryInfo`) are retried with backoff, waiting as
/// long as a `RetryInfo` asks; others drop the batch. A partial-success answer is logged and
/// its rejected spans counted as dropped, not retried. Self-metrics are the HTTP exporters',
/// labelled `exporter="otlp_grpc"` by default.
public final class OTLPGRPCSpanExporter: WireEncodingSpanExporter {
    private let configuration: Configuration
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let delivery: GRPCSpanDelivery

    /// Creates an exporter and starts its connection management; call ``shutdown()`` to end it.
    /// - Parameters:
    ///   - configuration: Endpoint, metadata, compression, deadline and retry policy.
    ///   - logger: Where failures and partial successes are reported.
    ///   - metricsFactory: Where the self-metrics go; defaults to the bootstrapped `MetricsSystem`.
    ///   - clock: Measures elapsed time and sleeps between attempts.
    ///   - jitter: A random fraction in `[0, 1)` per backoff.
    /// - Throws: ``OTLPGRPCEndpoint/Invalid`` for a port outside 1...65535, a host that is not a
    ///   valid name or IPv6 literal, or a timeout that is not positive; or when the transport
    ///   cannot be created for the endpoint.
    public init(
        configuration: Configuration = .default,
        logger: Logger = Logger(label: "telemetry.export.otlp-grpc"),
        metricsFactory: (any MetricsFactory)? = nil,
        clock: some Clock<Duration> = ContinuousClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) throws {
        // Checked here rather than trusted: the transport traps on an invalid port or address.
        try configuration.endpoint.validate()
        guard configuration.timeout > .zero else { throw OTLPGRPCEndpoint.Invalid("the timeout must be positive, got \(configuration.timeout)") }
        self.configuration = configuration
        let transport = try HTTP2ClientTransport.Posix(
            target: configuration.endpoint.target,
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.compression.algorithm = configuration.compression == .gzip ? .gzip : .none
                // Servers may compress responses with either; accepting both costs nothing.
                config.compression.enabledAlgorithms = .all
            }
        )
        let client = GRPCClient(transport: transport)
        self.client = client
        // The SpanExporter protocol has no run method; the connection loop lives until shutdown().
        connections = Task {
            do {
                try await client.runConnections()
            } catch let error as RuntimeError where error.code == .clientIsStopped {
                // shutdown() came before the loop started: nothing was connected, nothing to report.
            } catch {
                logger.error("OTLP/gRPC connections ended", metadata: ["endpoint": "\(configuration.endpoint)", "error": "\(error)"])
            }
        }
        delivery = GRPCSpanDelivery(
            configuration: configuration, client: client, clock: ElapsedClock(clock), jitter: jitter, logger: logger,
            metricsFactory: metricsFactory ?? MetricsSystem.factory)
    }

    /// Encodes and sends one batch, retrying what the OTLP specification calls retryable.
    ///
    /// Throws ``GRPCExportError`` when the server rejects the batch, retries run out, or the
    /// exporter is shut down; the spans are then counted as dropped.
    public func export(_ batch: [TelemetrySpanData]) async throws {
        guard !batch.isEmpty else { return }
        try await export(encoded: encode(batch))
    }

    /// The batch as one `ExportTraceServiceRequest` message.
    public func encode(_ batch: [TelemetrySpanData]) -> EncodedSpanBatch {
        EncodedSpanBatch(bodies: [.init(bytes: OTLPTraceEncoder.encodeProtobuf(batch), spanCount: batch.count)])
    }

    /// Sends messages made by ``encode(_:)``, as ``export(_:)`` sends a batch.
    public func export(encoded batch: EncodedSpanBatch) async throws {
        guard !delivery.isStopped else { throw GRPCExportError.shutdown }
        var firstError: (any Error)?
        for body in batch.bodies {
            do {
                let response = try await delivery.deliver(body.bytes, spanCount: body.spanCount)
                delivery.recordPartialSuccess(in: response)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// Sends one batch once, without retrying, and says what came of it: for a delivery layer
    /// with its own queue and retry policy. Records partial success but no other self-metrics.
    public func attemptExport(_ batch: [TelemetrySpanData]) async -> ExportAttemptOutcome {
        guard !batch.isEmpty else { return .accepted }
        guard !delivery.isStopped else { return .permanent(reason: "the exporter is shut down") }
        let (outcome, response) = await delivery.attempt(OTLPTraceEncoder.encodeProtobuf(batch))
        if outcome == .accepted { delivery.recordPartialSuccess(in: response) }
        return outcome
    }

    /// Makes later exports fail and closes the connection once calls in flight have finished.
    /// An export waiting to retry gives up when its wait ends, its spans counted as dropped at
    /// shutdown.
    public func shutdown() async {
        guard !delivery.stop() else { return }
        client.beginGracefulShutdown()
        await connections.value
    }

    // An exporter dropped without shutdown() (a failed start-up) must not leave its
    // connection loop running.
    deinit {
        client.beginGracefulShutdown()
    }
}
