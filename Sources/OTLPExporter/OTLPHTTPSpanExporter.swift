import TelemetryCore
import TelemetryHTTPExport

/// Exports spans over OTLP/HTTP, protobuf (the default) or JSON.
///
/// A partial-success answer is logged and its rejected spans counted as dropped; it is
/// not retried, as the OTLP specification requires.
public typealias OTLPHTTPSpanExporter = HTTPSpanExporter<OTLPHTTPEncoding>

/// OTLP/HTTP: one `ExportTraceServiceRequest` a batch, protobuf or JSON, and the
/// `partial_success` of its answer.
public struct OTLPHTTPEncoding: HTTPSpanEncoding {
    public static let exporterName = "otlp"
    public static var defaultConfiguration: Configuration { .default }

    public let delivery: HTTPSpanDelivery.Configuration
    private let format: OTLPFormat

    public init(configuration: Configuration) {
        format = configuration.format
        delivery = HTTPSpanDelivery.Configuration(
            endpoint: configuration.endpoint,
            contentType: configuration.format.contentType,
            headers: configuration.headers,
            compression: configuration.compression,
            timeout: configuration.timeout,
            retryPolicy: configuration.retryPolicy,
            exporterName: Self.exporterName
        )
    }

    public func requests(for batch: [TelemetrySpanData]) -> [(bytes: [UInt8], spanCount: Int)] {
        [(OTLPTraceEncoder.encode(batch, format: format), batch.count)]
    }

    public func partialSuccess(in responseBody: [UInt8]) -> (rejected: Int, message: String)? {
        Self.partialSuccess(in: responseBody, format: format)
    }

    /// The `partial_success` of an `ExportTraceServiceResponse` body, if it has one.
    package static func partialSuccess(in body: [UInt8], format: OTLPFormat) -> (rejected: Int, message: String)? {
        guard !body.isEmpty else { return nil }
        switch format {
        case .protobuf:
            return OTLPProtobufResponse.partialSuccess(in: body)
        case .json:
            guard let document = try? JSONParser.parse(body), let partial = document["partialSuccess", "partial_success"] else { return nil }
            let rejected = partial["rejectedSpans", "rejected_spans"]?.int64 ?? 0
            return (Int(rejected), partial["errorMessage", "error_message"]?.string ?? "")
        }
    }
}
