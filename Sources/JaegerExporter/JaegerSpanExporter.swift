import AsyncHTTPClient
import CoreMetrics
import Logging
import Synchronization
import TelemetryCore
import TelemetryHTTPExport

/// Exports spans to a Jaeger collector as thrift over HTTP (`POST /api/traces`), one
/// request per resource, through `HTTPSpanDelivery`.
public final class JaegerSpanExporter: SpanExporter {
    private let delivery: HTTPSpanDelivery
    private let isShutDown = Mutex(false)

    /// Creates an exporter.
    /// - Parameters:
    ///   - configuration: Endpoint, headers, timeout and retry policy.
    ///   - client: The HTTP client; defaults to the process-wide shared client.
    ///   - logger: Where failures are reported.
    ///   - metricsFactory: Where the delivery self-metrics go; defaults to the bootstrapped
    ///     `MetricsSystem`.
    ///   - wallClock: The time since the Unix epoch, to turn a `Retry-After` HTTP-date into a
    ///     wait; defaults to the system's real-time clock.
    public init(
        configuration: Configuration = .default,
        client: HTTPClient = HTTPSpanDelivery.sharedClient,
        logger: Logger = Logger(label: "telemetry.export.jaeger"),
        metricsFactory: (any MetricsFactory)? = nil,
        wallClock: (@Sendable () -> Duration)? = nil
    ) {
        delivery = HTTPSpanDelivery(
            configuration: HTTPSpanDelivery.Configuration(
                endpoint: configuration.endpoint,
                contentType: "application/x-thrift",
                headers: configuration.headers,
                compression: .none,
                timeout: configuration.timeout,
                retryPolicy: configuration.retryPolicy,
                exporterName: "jaeger"
            ),
            client: client,
            wallClock: wallClock,
            logger: logger,
            metricsFactory: metricsFactory
        )
    }

    /// Encodes and posts the batch, one `Batch` per resource.
    public func export(_ batch: [TelemetrySpanData]) async throws {
        guard !batch.isEmpty else { return }
        guard !isShutDown.withLock({ $0 }) else { throw HTTPExportError.shutdown }
        var firstError: (any Error)?
        for body in JaegerThriftEncoder.encodeBatchesWithCounts(batch) {
            do {
                _ = try await delivery.deliver(body.bytes, spanCount: body.spanCount)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// Makes later exports fail.
    public func shutdown() async {
        isShutDown.withLock { $0 = true }
    }
}

extension JaegerSpanExporter {
    /// Where to post Jaeger thrift batches.
    public struct Configuration: Sendable {
        /// The collector URL. Default `http://localhost:14268/api/traces`; `TRACING_ENDPOINT`,
        /// else `OTEL_EXPORTER_JAEGER_ENDPOINT`.
        public var endpoint: String
        /// Extra request headers. Default none.
        public var headers: [(name: String, value: String)]
        /// Time one attempt may take. Default 10 s; `OTEL_EXPORTER_JAEGER_TIMEOUT` (milliseconds).
        public var timeout: Duration
        /// Retries and give-up bound. Default `RetryPolicy.default`.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        public init(
            endpoint: String = "http://localhost:14268/api/traces",
            headers: [(name: String, value: String)] = [],
            timeout: Duration = .seconds(10),
            retryPolicy: RetryPolicy = .default
        ) {
            self.endpoint = endpoint
            self.headers = headers
            self.timeout = timeout
            self.retryPolicy = retryPolicy
        }

        /// `http://localhost:14268/api/traces`, 10 s timeout, default retries.
        public static let `default` = Configuration()

        /// Reads `TRACING_ENDPOINT` (or `OTEL_EXPORTER_JAEGER_ENDPOINT`) and `OTEL_EXPORTER_JAEGER_TIMEOUT`.
        public init(environment: [String: String]) throws(ExportConfigurationError) {
            self.init()
            for variable in ["TRACING_ENDPOINT", "OTEL_EXPORTER_JAEGER_ENDPOINT"] {
                guard let value = environment[variable]?.trimmed, !value.isEmpty else { continue }
                guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                    throw .invalidValue(variable, value, expected: "an http:// or https:// URL")
                }
                endpoint = value
                break
            }
            if let raw = environment["OTEL_EXPORTER_JAEGER_TIMEOUT"]?.trimmed, !raw.isEmpty {
                timeout = try HTTPSpanDelivery.Configuration.timeout(raw, variable: "OTEL_EXPORTER_JAEGER_TIMEOUT")
            }
        }
    }
}
