import HTTPTypes
import HealthChecks
import Hummingbird
import NIOCore
import TelemetryMetrics

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The service's self-description endpoints, mountable on any Hummingbird router.
///
/// - `GET /health`: the seed's JSON; 200 when healthy or degraded, 503 when unhealthy.
/// - `GET /ready`: 200 when every critical check passes, 503 otherwise.
/// - `GET /live`: 200 while the process serves requests.
/// - `GET /database/status`: the database check's latest result and last failure.
/// - `GET /metrics`: Prometheus text format 0.0.4.
public struct TelemetryEndpoints: Sendable {
    /// The checks behind `/health`, `/ready` and `/database/status`.
    public let health: HealthRegistry
    /// The registry behind `/metrics`, or `nil` to serve no metrics.
    public let metrics: PrometheusMetricsBackend?
    /// The name of the check `/database/status` reports. Default `database`.
    public var databaseCheckName: String
    /// The path of the health endpoint. Default `/health` (`HEALTH_PATH`).
    public var healthPath: String
    /// The path of the metrics endpoint. Default `/metrics` (`METRICS_PATH`).
    public var metricsPath: String

    /// Creates the endpoints; paths default to the metrics configuration's and `/health`.
    public init(
        health: HealthRegistry,
        metrics: PrometheusMetricsBackend?,
        healthPath: String = "/health",
        databaseCheckName: String = "database"
    ) {
        self.health = health
        self.metrics = metrics
        self.healthPath = healthPath
        self.metricsPath = metrics?.configuration.path ?? "/metrics"
        self.databaseCheckName = databaseCheckName
    }

    /// Adds the health endpoints (`/health`, `/ready`, `/live`, `/database/status`) to `router`.
    public func addHealthRoutes<Context: RequestContext>(to router: Router<Context>) {
        let health = self.health
        let databaseCheckName = self.databaseCheckName
        router.get(RouterPath(healthPath)) { _, _ in
            let report = await health.report()
            return JSONResponse(HealthResponse(report), status: report.status == .unhealthy ? .serviceUnavailable : .ok).response
        }
        router.get("/ready") { _, _ in
            let report = await health.report()
            return JSONResponse(ReadinessResponse(report), status: report.isReady ? .ok : .serviceUnavailable).response
        }
        router.get("/live") { _, _ in
            JSONResponse(["status": "alive"] as [String: String], status: .ok).response
        }
        router.get("/database/status") { _, _ in
            let report = await health.report()
            guard let result = report.result(named: databaseCheckName) else {
                return JSONResponse(["error": "no health check named \(databaseCheckName)"] as [String: String], status: .notFound).response
            }
            let check = health.check(named: databaseCheckName) as? DatabaseHealthCheck
            let body = DatabaseStatusResponse(result: result, lastFailure: check?.lastFailure, checkedAt: report.timestamp)
            return JSONResponse(body, status: result.status == .unhealthy ? .serviceUnavailable : .ok).response
        }
    }

    /// Adds `GET /metrics` (or the configured path) to `router`, when metrics are enabled.
    public func addMetricsRoute<Context: RequestContext>(to router: Router<Context>) {
        guard let metrics, metrics.configuration.enabled else { return }
        router.get(RouterPath(metricsPath)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: PrometheusExposition.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }

    /// Adds every endpoint to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        addHealthRoutes(to: router)
        addMetricsRoute(to: router)
    }
}
