import Logging

/// What one attempt at delivering a request came to.
package enum DeliveryAttempt<Response: Sendable, Refusal: Error>: Sendable {
    /// The backend took the request and answered this.
    case accepted(Response)
    /// The backend refused the request for good; `status` is what the log names.
    case rejected(Refusal, status: String)
    /// A failure a later attempt may get past, and the wait the backend asked for, if any.
    case retryable(after: Duration?, reason: String)
    /// The attempt was cancelled.
    case shutdown
}

/// How a delivery that was not accepted ended.
package enum DeliveryEnd<Refusal: Error>: Error {
    case rejected(Refusal)
    case retriesExhausted(attempts: Int, last: String, retryAfter: Duration?)
    case shutdown
}

/// The retry loop of the HTTP and gRPC deliveries: attempt until the backend accepts or
/// refuses the request, attempts or time run out, or the delivery stops, waiting the policy's
/// backoff (or as long as the backend asked) between attempts and keeping the self-metrics.
///
/// With `RetryPolicy.retriedByCaller` it makes one attempt and leaves retrying, and counting
/// what is dropped, to the caller's own retry layer.
package struct DeliveryRetryLoop: Sendable {
    package let endpoint: String
    package let policy: RetryPolicy
    package let clock: ElapsedClock
    package let jitter: @Sendable () -> Double
    package let logger: Logger
    package let metrics: DeliveryMetrics

    package init(
        endpoint: String, policy: RetryPolicy, clock: ElapsedClock, jitter: @escaping @Sendable () -> Double, logger: Logger,
        metrics: DeliveryMetrics
    ) {
        self.endpoint = endpoint
        self.policy = policy
        self.clock = clock
        self.jitter = jitter
        self.logger = logger
        self.metrics = metrics
    }

    /// Delivers one request carrying `spanCount` spans by calling `attempt` until it is
    /// settled; `isStopping`, checked after every failed attempt and every wait, ends it early.
    package func deliver<Response, Refusal>(
        spanCount: Int, isStopping: () -> Bool = { Task.isCancelled }, attempt makeAttempt: () async -> DeliveryAttempt<Response, Refusal>
    ) async throws(DeliveryEnd<Refusal>) -> (response: Response, attempts: Int) {
        let started = clock.elapsed()
        metrics.pendingChanged(by: spanCount)
        defer { metrics.pendingChanged(by: -spanCount) }
        var attempt = 0
        while true {
            attempt += 1
            let serverDelay: Duration?
            let failure: String
            switch await makeAttempt() {
            case .accepted(let response):
                metrics.exported(spanCount)
                metrics.recordLatency(clock.elapsed() - started)
                return (response, attempt)
            case .rejected(let refusal, let status):
                if isStopping() { throw stopped(spanCount) }
                if !policy.retriedByCaller {
                    metrics.dropped(spanCount, reason: .rejected)
                    metrics.failed()
                }
                logger.warning("export rejected, not retrying", metadata: ["endpoint": "\(endpoint)", "status": "\(status)", "spans": "\(spanCount)"])
                throw .rejected(refusal)
            case .retryable(let after, let reason):
                if isStopping() { throw stopped(spanCount) }
                serverDelay = after
                failure = reason
            case .shutdown:
                throw stopped(spanCount)
            }
            if policy.retriedByCaller {
                throw .retriesExhausted(attempts: attempt, last: failure, retryAfter: serverDelay)
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: serverDelay, jitter: jitter())
            guard attempt < policy.maximumAttempts, clock.elapsed() - started + delay <= policy.maximumElapsed else {
                metrics.dropped(spanCount, reason: .retriesExhausted)
                metrics.failed()
                logger.warning(
                    "export failed, giving up", metadata: ["endpoint": "\(endpoint)", "attempts": "\(attempt)", "last": "\(failure)", "spans": "\(spanCount)"])
                throw .retriesExhausted(attempts: attempt, last: failure, retryAfter: serverDelay)
            }
            logger.debug("export failed, retrying", metadata: ["endpoint": "\(endpoint)", "attempt": "\(attempt)", "last": "\(failure)", "delay": "\(delay)"])
            do {
                try await clock.sleep(delay)
            } catch {
                throw stopped(spanCount)
            }
            if isStopping() { throw stopped(spanCount) }
            metrics.retried()
        }
    }

    /// Counts the spans dropped at shutdown, unless a caller with its own retry layer counts them.
    private func stopped<Refusal>(_ spanCount: Int) -> DeliveryEnd<Refusal> {
        if !policy.retriedByCaller { metrics.dropped(spanCount, reason: .shutdown) }
        return .shutdown
    }
}
