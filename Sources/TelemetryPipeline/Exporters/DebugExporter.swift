import Logging
import TelemetryCore

/// Writes spans to the log: a count (`basic`), one line per span (`normal`), or every
/// field (`detailed`).
package struct DebugExporter: SpanExporter {
    let verbosity: String
    let logger: Logger

    package init(verbosity: String, logger: Logger) {
        self.verbosity = verbosity
        self.logger = logger
    }

    package func export(_ batch: [TelemetrySpanData]) async throws {
        switch verbosity {
        case "basic":
            logger.info("spans exported", metadata: ["spans": "\(batch.count)"])
        case "normal":
            for span in batch {
                logger.info(
                    "\(span.resource.serviceName) \(span.name)",
                    metadata: [
                        "trace_id": "\(span.traceID)", "span_id": "\(span.spanID)", "status": "\(span.status.codeName)",
                        "duration_ms": "\(Double(span.durationNanos) / 1e6)",
                    ])
            }
        default:
            for span in batch { logger.info("\(span.jsonLine)") }
        }
    }
}
