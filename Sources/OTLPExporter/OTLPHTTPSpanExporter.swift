import AsyncHTTPClient
import CoreMetrics
import Logging
import SwiftProtobuf
import Synchronization
import TelemetryCore
import TelemetryHTTPExport

/// Exports spans over OTLP/HTTP, protobuf (the default) or JSON, through `HTTPSpanDelivery`.
///
/// A partial-success answer is logged and its rejected spans counted as dropped; it is
/// not retried, as the OTLP specification requires.
public final class OTLPHTTPSpanExporter: SpanExporter {
    private let configuration: Configuration
    private let delivery: HTTPSpanDelivery
    private let logger: Logger
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
        logger: Logger = Logger(label: "telemetry.export.otlp"),
        metricsFactory: (any MetricsFactory)? = nil,
        wallClock: (@Sendable () -> Duration)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.delivery = HTTPSpanDelivery(
            configuration: HTTPSpanDelivery.Configuration(
                endpoint: configuration.endpoint,
                contentType: configuration.format.contentType,
                headers: configuration.headers,
                compression: configuration.compression,
                timeout: configuration.timeout,
                retryPolicy: configuration.retryPolicy,
                exporterName: "otlp"
            ),
            client: client,
            wallClock: wallClock,
            logger: logger,
            metricsFactory: metricsFactory
        )
    }

    /// Encodes and posts one batch, retrying as `HTTPSpanDelivery` does.
    public func export(_ batch: [TelemetrySpanData]) async throws {
        guard !batch.isEmpty else { return }
        guard !isShutDown.withLock({ $0 }) else { throw HTTPExportError.shutdown }
        let body = OTLPTraceEncoder.encode(batch, format: configuration.format)
        let response = try await delivery.deliver(body, spanCount: batch.count)
        if let partial = Self.partialSuccess(in: response.body, format: configuration.format),
           partial.rejected > 0 || !partial.message.isEmpty
        {
            delivery.recordPartialSuccess(rejectedSpans: partial.rejected, message: partial.message)
        }
    }

    /// Makes later exports fail.
    public func shutdown() async {
        isShutDown.withLock { $0 = true }
    }

    /// The `partial_success` of an `ExportTraceServiceResponse` body, if it has one.
    package static func partialSuccess(in body: [UInt8], format: OTLPFormat) -> (rejected: Int, message: String)? {
        guard !body.isEmpty else { return nil }
        switch format {
        case .protobuf:
            guard let response = try? OTLPProtobufMapping.Response(serializedBytes: body), response.hasPartialSuccess else { return nil }
            return (Int(response.partialSuccess.rejectedSpans), response.partialSuccess.errorMessage)
        case .json:
            guard let document = try? JSONParser.parse(body), let partial = document["partialSuccess", "partial_success"] else { return nil }
            let rejected = partial["rejectedSpans", "rejected_spans"]?.int64 ?? 0
            return (Int(rejected), partial["errorMessage", "error_message"]?.string ?? "")
        }
    }
}
