import Logging
import TelemetryCore
import Tracing

extension Logger.MetadataProvider {
    /// Adds `trace_id` and `span_id` of the current span (from `ServiceContext.current`) to
    /// every log record, so logs and traces join on the IDs.
    ///
    /// Install with `LoggingSystem.bootstrap(_:metadataProvider:)`.
    public static let telemetry = Logger.MetadataProvider {
        guard let spanContext = ServiceContext.current?.spanContext, spanContext.isValid else { return [:] }
        return [
            "trace_id": .string(spanContext.traceID.hexString),
            "span_id": .string(spanContext.spanID.hexString),
        ]
    }
}
