/// How a pipeline exporter queues and retries, the Collector exporterhelper's
/// `retry_on_failure` and `sending_queue` blocks. Any exporter that sends to a backend takes
/// it: parse it with `PipelineConfiguration.parseDelivery` and hand it to `ExporterWorker`.
package struct DeliverySettings: Sendable, Equatable {
    package var retry = RetrySettings()
    package var queue = SendingQueueSettings()

    package init(retry: RetrySettings = RetrySettings(), queue: SendingQueueSettings = SendingQueueSettings()) {
        self.retry = retry
        self.queue = queue
    }
}

/// `retry_on_failure`: exponential backoff with jitter for retryable failures.
package struct RetrySettings: Sendable, Equatable {
    /// Whether failed requests are retried (`enabled`, default true).
    package var enabled = true
    /// Wait after the first failure (`initial_interval`, default 5s).
    package var initialInterval: Duration = .seconds(5)
    /// Upper bound of one backoff (`max_interval`, default 30s).
    package var maxInterval: Duration = .seconds(30)
    /// Time after which a request is given up; zero retries for ever (`max_elapsed_time`, default 300s).
    package var maxElapsedTime: Duration = .seconds(300)
    /// Growth of the backoff per attempt (`multiplier`, default 1.5).
    package var multiplier = 1.5
    /// Spread of each backoff, as a fraction of it either way (`randomization_factor`, default 0.5).
    package var randomizationFactor = 0.5

    package init() {}
}

/// `sending_queue`: the exporter's own queue of requests and the consumers draining it.
package struct SendingQueueSettings: Sendable, Equatable {
    /// Whether requests are queued and sent by consumers; when false the pipeline waits for
    /// each send (`enabled`, default true).
    package var enabled = true
    /// Concurrent senders (`num_consumers`, default 10).
    package var numConsumers = 10
    /// Requests (batches) held before new ones are dropped (`queue_size`, default 1000).
    package var queueSize = 1000
    /// A `file_storage` extension that makes the queue survive a crash (`storage`, default none).
    package var storage: ComponentID?

    package init() {}
}

/// `extensions.file_storage`: where persistent queues keep their journal.
package struct FileStorageSettings: Sendable, Equatable {
    /// Directory of the journal segments, created if missing (`directory`, required).
    package var directory: String
    /// Most bytes the journal holds on disk; beyond it receivers refuse data (`max_size_mib`, default 1024).
    package var maxSizeMiB = 1024
    /// Whether appends are flushed to stable storage before receivers answer (`fsync`, default true).
    package var fsync = true

    package init(directory: String) {
        self.directory = directory
    }
}
