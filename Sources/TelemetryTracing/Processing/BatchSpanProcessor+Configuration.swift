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
        /// Whether producers wait for room instead of losing spans to a full queue. Default `false`.
        ///
        /// `false` (OpenTelemetry's behaviour, right for services): ending a span never waits, and
        /// a span ended while the queue is full is dropped and counted. `true` (for load
        /// generators and batch jobs that prefer waiting to dropping, like OpenTelemetry Go's
        /// `WithBlocking`): ``BatchSpanProcessor/waitForRoom(for:)`` suspends its caller until the
        /// queue has room, and a span ended while the queue is full is kept past `maxQueueSize`
        /// rather than dropped, so producers that wait keep the queue bounded and lose nothing.
        public var blocking: Bool

        /// Creates a configuration; the batch size is capped at the queue size.
        public init(
            maxQueueSize: Int = 2048,
            maxExportBatchSize: Int = 512,
            scheduleDelay: Duration = .seconds(5),
            exportTimeout: Duration = .seconds(30),
            blocking: Bool = false
        ) {
            self.maxQueueSize = max(1, maxQueueSize)
            self.maxExportBatchSize = min(max(1, maxExportBatchSize), self.maxQueueSize)
            self.scheduleDelay = scheduleDelay
            self.exportTimeout = exportTimeout
            self.blocking = blocking
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
                exportTimeout: environment.batchExportTimeout ?? defaults.exportTimeout,
                blocking: defaults.blocking
            )
        }
    }
}
