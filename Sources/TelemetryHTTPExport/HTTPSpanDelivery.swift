import AsyncHTTPClient
import CoreMetrics
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import TelemetryCore

/// Posts encoded span batches to a backend, retrying what retrying can fix.
///
/// All deliveries share one process-wide `HTTPClient` (with tracing switched off, so an
/// export never produces spans of its own). Connection errors and HTTP 429, 502, 503 and
/// 504 are retried with exponential backoff and jitter, honouring `Retry-After`; other
/// 4xx answers are never retried. When retries run out the batch is dropped and counted.
/// With `RetryPolicy.caller` it makes one attempt and leaves retrying to the caller.
public final class HTTPSpanDelivery: Sendable {
    /// The process-wide client every delivery uses unless a test injects another.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private let configuration: Configuration
    private let client: HTTPClient
    private let wallClock: @Sendable () -> Duration
    private let logger: Logger
    private let metrics: DeliveryMetrics
    private let retryLoop: DeliveryRetryLoop

    /// Creates a delivery.
    /// - Parameters:
    ///   - configuration: endpoint, headers, compression, timeout and retry policy.
    ///   - client: the HTTP client; defaults to `sharedClient`.
    ///   - clock: measures elapsed time and sleeps between attempts.
    ///   - jitter: a random fraction in `[0, 1)` per backoff.
    ///   - wallClock: the time since the Unix epoch, to turn a `Retry-After` HTTP-date into a
    ///     wait; defaults to the system's real-time clock.
    ///   - logger: where failures and partial successes are reported.
    ///   - metricsFactory: where self-metrics go; defaults to the bootstrapped `MetricsSystem`.
    public init(
        configuration: Configuration,
        client: HTTPClient = HTTPSpanDelivery.sharedClient,
        clock: some Clock<Duration> = ContinuousClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        wallClock: (@Sendable () -> Duration)? = nil,
        logger: Logger = Logger(label: "telemetry.export"),
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.configuration = configuration
        self.client = client
        self.wallClock = wallClock ?? HTTPDate.systemNow
        self.logger = logger
        let metrics = DeliveryMetrics(exporter: configuration.exporterName, factory: metricsFactory ?? MetricsSystem.factory)
        self.metrics = metrics
        retryLoop = DeliveryRetryLoop(
            endpoint: configuration.endpoint, policy: configuration.retryPolicy, clock: ElapsedClock(clock), jitter: jitter, logger: logger,
            metrics: metrics)
    }

    /// Sends one body carrying `spanCount` spans and returns the successful response.
    ///
    /// Throws `HTTPExportError` when the backend rejects the batch, retries run out, or the
    /// task is cancelled; the spans are then counted as dropped.
    public func deliver(_ body: [UInt8], spanCount: Int) async throws(HTTPExportError) -> DeliveryResponse {
        let endpoint = configuration.endpoint
        var payload = body
        if configuration.compression == .gzip {
            do { payload = try Gzip.compress(body) } catch {
                metrics.dropped(spanCount, reason: .encoding)
                metrics.failed()
                throw error
            }
        }
        let request = makeRequest(payload)
        do {
            let (response, attempts) = try await retryLoop.deliver(spanCount: spanCount) { await attempt(request) }
            return DeliveryResponse(status: response.status, body: response.body, attempts: attempts)
        } catch {
            switch error {
            case .rejected(let refusal): throw refusal
            case .retriesExhausted(let attempts, let last, let retryAfter):
                throw .retriesExhausted(endpoint: endpoint, attempts: attempts, last: last, retryAfter: retryAfter)
            case .shutdown: throw .shutdown(endpoint: endpoint)
            }
        }
    }

    /// One POST, classified.
    private func attempt(_ request: HTTPClientRequest) async -> DeliveryAttempt<(status: Int, body: [UInt8]), HTTPExportError> {
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(configuration.timeout.nanoseconds)))
            let responseBody = try await response.body.collect(upTo: 4 << 20)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .accepted((status, Array(buffer: responseBody))) }
            guard RetryPolicy.isRetryable(status: status) else {
                let refusal = HTTPExportError.rejected(status: status, endpoint: configuration.endpoint, body: String(buffer: responseBody))
                return .rejected(refusal, status: "\(status)")
            }
            let retryAfter = response.headers.first(name: "retry-after").flatMap { RetryPolicy.parseRetryAfter($0, now: wallClock()) }
            return .retryable(after: retryAfter, reason: "HTTP \(status)")
        } catch {
            if Task.isCancelled || error is CancellationError { return .shutdown }
            return .retryable(after: nil, reason: "\(error)")
        }
    }

    /// Counts spans the backend accepted the request for but refused (OTLP partial success).
    public func recordPartialSuccess(rejectedSpans: Int, message: String) {
        metrics.dropped(rejectedSpans, reason: .partialSuccess)
        logger.warning(
            "backend refused part of a batch",
            metadata: [
                "endpoint": "\(configuration.endpoint)", "rejected_spans": "\(rejectedSpans)", "message": "\(message)",
            ])
    }

    private func makeRequest(_ payload: [UInt8]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: configuration.contentType)
        request.headers.add(name: "User-Agent", value: "swift-telemetry")
        if configuration.compression == .gzip { request.headers.add(name: "Content-Encoding", value: "gzip") }
        for header in configuration.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: payload))
        return request
    }
}

/// A backend's successful answer.
public struct DeliveryResponse: Sendable, Hashable {
    /// The 2xx status.
    public var status: Int
    /// The response body, for partial-success parsing.
    public var body: [UInt8]
    /// How many attempts the delivery took.
    public var attempts: Int
}

/// A clock reduced to what retries need, so any `Clock<Duration>` can be injected.
package struct ElapsedClock: Sendable {
    /// Time since the clock was wrapped.
    package let elapsed: @Sendable () -> Duration
    package let sleep: @Sendable (Duration) async throws -> Void

    package init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000
    }
}
