import TelemetryCore

extension BatchSpanProcessor {
    /// Queue and batch sizes and timings, with OpenTelemetry's defaults and variables.
    public struct Configuration: Sendable, Hashable {
        /// Spans held before new ones are dropped. Default 2048 (`OTEL_BSP_MAX_QUEUE_SIZE`).
        public var maxQueueSize: Int
        /// Spans per export; a full batch is exported at once. Default 512 (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
        public var maxExportBatchSize: Int
        /// The longest a span waits before export. Default 5 s (`OTEL_BSP_SCHEDULE_DELAY`, ms).
        public var scheduleDelay: Duration
        /// The longest one export may take. Default 30 s (`OTEL_BSP_EXPORT_TIMEOUT`, ms).
        public var exportTimeout: Duration

        /// Creates a configuration; the batch size is capped at the queue size.
        public init(
            maxQueueSize: Int = 2048,
            maxExportBatchSize: Int = 512,
            scheduleDelay: Duration = .seconds(5),
            exportTimeout: Duration = .seconds(30)
        ) {
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = min(max(1, maxExportBatchSize), self.maxQueueSize)
            self.scheduleDelay = scheduleDelay
            self.exportTimeout = exportTimeout
        }

        /// The defaults listed on each property.
        public static let `default` = Configuration()

        /// The defaults overridden by whatever `OTEL_BSP_*` variables `environment` holds.
        public init(environment: TelemetryEnvironment) {
            let defaults = Configuration.default
            self.init(
                maxQueueSize: environment.batchMaxQueueSize ?? defaults.maxQueueSize,
                maxExportBatchSize: environment.batchMaxExportBatchSize ?? defaults.maxExportBatchSize,
                scheduleDelay: environment.batchScheduleDelay ?? defaults.scheduleDelay,
                exportTimeout: environment.batchExportTimeout ?? defaults.exportTimeout
            )
        }
    }
}
