import TelemetryHTTPExport

/// The waits of `retry_on_failure`, as the Collector computes them: the interval starts at
/// `initial_interval`, grows by `multiplier` per retry up to `max_interval`, and each wait is
/// drawn from `interval × (1 ± randomization_factor)`; a `Retry-After` from the backend
/// lengthens a wait but never shortens it. A request is given up when the next wait would end
/// after `max_elapsed_time` (zero: never).
package struct RetrySchedule: Sendable {
    let settings: RetrySettings

    package init(_ settings: RetrySettings) {
        self.settings = settings
    }

    /// The interval before retry number `retry` (1-based), before randomization.
    package func interval(beforeRetry retry: Int) -> Duration {
        var interval = settings.initialInterval
        for _ in 1..<max(retry, 1) {
            interval = interval * settings.multiplier
            if interval >= settings.maxInterval { return settings.maxInterval }
        }
        return min(interval, settings.maxInterval)
    }

    /// The wait before retry number `retry`; `random` is uniform in `[0, 1)`.
    package func delay(beforeRetry retry: Int, random: Double, retryAfter: Duration? = nil) -> Duration {
        let base = interval(beforeRetry: retry)
        let spread = settings.randomizationFactor * (2 * min(max(random, 0), 1) - 1)
        let randomized = base * (1 + spread)
        guard let retryAfter else { return randomized }
        return max(randomized, retryAfter)
    }

    /// Whether a request that has been tried for `elapsed` is given up rather than retried
    /// after `delay`.
    package func givesUp(elapsed: Duration, delay: Duration) -> Bool {
        settings.maxElapsedTime > .zero && elapsed + delay > settings.maxElapsedTime
    }
}

/// What an export failure means for the request.
package enum ExportFailure: Equatable {
    /// Retrying cannot help (4xx other than 429, an undecodable or unencodable request).
    case permanent
    /// Worth retrying, after at least the wait the backend asked for.
    case retryable(retryAfter: Duration?)
    /// The exporter is shutting down.
    case shutdown

    package init(_ error: any Error) {
        if let http = error as? HTTPExportError, http.isShutdown {
            self = .shutdown
        } else if let classified = error as? any RetryClassifiedError {
            self = classified.isPermanent ? .permanent : .retryable(retryAfter: classified.retryAfter)
        } else if error is CancellationError {
            self = .shutdown
        } else {
            self = .retryable(retryAfter: nil)
        }
    }
}
