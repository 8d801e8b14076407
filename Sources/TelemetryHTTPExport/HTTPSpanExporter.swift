import AsyncHTTPClient
import CoreMetrics
import Logging
import Synchronization
import TelemetryCore

/// What sets one HTTP span exporter apart from another: its settings, how a batch becomes
/// request bodies, and what a successful answer may say about spans it refused.
///
/// Everything else (retries, `Retry-After`, compression, self-metrics, shut-down) is
/// ``HTTPSpanExporter``'s, the same for every wire format.
public protocol HTTPSpanEncoding: Sendable {
    /// The exporter's settings, which include what ``delivery`` needs.
    associatedtype Configuration: Sendable
    /// The `exporter` label of the delivery self-metrics and the default logger's last label.
    static var exporterName: String { get }
    /// The settings of an exporter made without any.
    static var defaultConfiguration: Configuration { get }

    init(configuration: Configuration)
    /// Where and how the bodies are posted: endpoint, content type, headers, compression,
    /// timeout and retry policy.
    var delivery: HTTPSpanDelivery.Configuration { get }
    /// The request bodies for `batch`, each with the number of spans it carries.
    func requests(for batch: [TelemetrySpanData]) -> [(bytes: [UInt8], spanCount: Int)]
    /// The spans a successful answer says were refused, and why (OTLP's partial success);
    /// `nil` when the body reports none.
    func partialSuccess(in responseBody: [UInt8]) -> (rejected: Int, message: String)?
}

extension HTTPSpanEncoding {
    public func partialSuccess(in responseBody: [UInt8]) -> (rejected: Int, message: String)? { nil }
}

/// Posts spans over HTTP in one wire format, through ``HTTPSpanDelivery``: the one exporter
/// behind `JaegerSpanExporter` (thrift) and `OTLPHTTPSpanExporter` (OTLP protobuf or JSON).
///
/// A batch whose spans come from several resources may take several requests; every one is
/// tried, and the first failure is thrown. Spans a partial-success answer refused are logged
/// and counted as dropped, not retried, as the OTLP specification requires.
public final class HTTPSpanExporter<Encoding: HTTPSpanEncoding>: WireEncodingSpanExporter {
    /// The wire format's settings.
    public typealias Configuration = Encoding.Configuration

    private let encoding: Encoding
    private let delivery: HTTPSpanDelivery
    private let isShutDown = Mutex(false)

    /// Creates an exporter.
    /// - Parameters:
    ///   - configuration: Endpoint, headers, timeout, retry policy and the format's own settings.
    ///   - client: The HTTP client; defaults to the process-wide shared client.
    ///   - logger: Where failures are reported; defaults to `telemetry.export.<exporter name>`.
    ///   - metricsFactory: Where the delivery self-metrics go; defaults to the bootstrapped
    ///     `MetricsSystem`.
    ///   - wallClock: The time since the Unix epoch, to turn a `Retry-After` HTTP-date into a
    ///     wait; defaults to the system's real-time clock.
    public init(
        configuration: Configuration = Encoding.defaultConfiguration,
        client: HTTPClient = HTTPSpanDelivery.sharedClient,
        logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil,
        wallClock: (@Sendable () -> Duration)? = nil
    ) {
        encoding = Encoding(configuration: configuration)
        delivery = HTTPSpanDelivery(
            configuration: encoding.delivery,
            client: client,
            wallClock: wallClock,
            logger: logger ?? Logger(label: "telemetry.export.\(Encoding.exporterName)"),
            metricsFactory: metricsFactory
        )
    }

    /// Encodes and posts the batch, retrying as ``HTTPSpanDelivery`` does.
    public func export(_ batch: [TelemetrySpanData]) async throws {
        guard !batch.isEmpty else { return }
        try await export(encoded: encode(batch))
    }

    /// The request bodies for `batch`: one, or one per resource for a format that needs it.
    public func encode(_ batch: [TelemetrySpanData]) -> EncodedSpanBatch {
        EncodedSpanBatch(bodies: encoding.requests(for: batch).map { EncodedSpanBatch.Body(bytes: $0.bytes, spanCount: $0.spanCount) })
    }

    /// Posts bodies made by ``encode(_:)``, retrying as ``HTTPSpanDelivery`` does.
    public func export(encoded batch: EncodedSpanBatch) async throws {
        guard !isShutDown.withLock({ $0 }) else { throw HTTPExportError.shutdown }
        var firstError: (any Error)?
        for body in batch.bodies {
            do {
                let response = try await delivery.deliver(body.bytes, spanCount: body.spanCount)
                if let partial = encoding.partialSuccess(in: response.body), partial.rejected > 0 || !partial.message.isEmpty {
                    delivery.recordPartialSuccess(rejectedSpans: partial.rejected, message: partial.message)
                }
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
