import CoreMetrics
import Synchronization

/// Records the seed's RED metrics for an HTTP server through swift-metrics.
///
/// Handles are cached per (method, route, status), so a request costs one lock and one
/// dictionary lookup besides the metric updates themselves. `path` is always the route
/// template the caller passes, which keeps the label set bounded.
public final class HTTPServerMetrics: Sendable {
    private struct Key: Hashable {
        var method: String
        var path: String
        var status: Int
    }

    private struct Handles: Sendable {
        var requests: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    /// The `service` label of `active_connections`.
    public let service: String
    private let factory: any MetricsFactory
    private let active: Meter
    private let handles = Mutex<[Key: Handles]>([:])

    /// Creates a recorder for `service`, using `factory` (default: the bootstrapped swift-metrics backend).
    public init(service: String, factory: (any MetricsFactory)? = nil) {
        let factory = factory ?? MetricsSystem.factory
        self.service = service
        self.factory = factory
        self.active = Meter(label: MetricCatalog.activeConnections, dimensions: [("service", service)], factory: factory)
    }

    /// Counts a request as in progress in `active_connections`.
    public func requestStarted() {
        active.increment()
    }

    /// Records a finished request in `http_requests_total` and `http_request_duration_seconds`,
    /// and removes it from `active_connections`.
    public func requestFinished(method: String, path: String, status: Int, duration: Duration) {
        let handles = handles(for: Key(method: method, path: path, status: status))
        handles.requests.increment()
        handles.duration.recordNanoseconds(duration.nanoseconds)
        active.decrement()
    }

    private func handles(for key: Key) -> Handles {
        handles.withLock { cache in
            if let found = cache[key] { return found }
            let dimensions = [("method", key.method), ("path", key.path), ("status", String(key.status))]
            let created = Handles(
                requests: CoreMetrics.Counter(label: MetricCatalog.httpRequestsTotal, dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(label: MetricCatalog.httpRequestDuration, dimensions: dimensions, factory: factory)
            )
            cache[key] = created
            return created
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled + attoseconds / 1_000_000_000
    }
}
