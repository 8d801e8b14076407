import CircuitBreakers
import ErrorAggregation
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TelemetryHTTPServer
import TelemetryMetrics

/// The seed's gateway monitoring endpoints plus the daemon's own probes, on
/// `service.monitoring.endpoint`.
///
/// `/monitoring/errors/*` are the SDK's ``ErrorRoutes`` over the `errors` processor's
/// aggregator, so a service and the pipeline answer them with the same code and shapes.
package struct MonitoringAPI: Sendable {
    let name: String
    let version: String
    let startedAt: UInt64
    let clock: PipelineClock
    let registry: MetricRegistry
    let errors: ErrorAggregator
    let edgeRequests: EdgeRequestTally
    let health: HealthBoard?
    let breakers: BreakerBoard
    let breakerGauge: MetricFamily
    let adminToken: String?
    let isReady: @Sendable () -> Bool

    package func register(on router: Router<BasicRequestContext>) {
        router.get("/monitoring/metrics") { _, _ in metricsResponse() }
        router.get("/metrics") { _, _ in metricsResponse() }
        router.get("/monitoring/health/dashboard") { _, _ in JSONResponse(dashboard(), sortingKeys: true) }
        router.get("/monitoring/circuit-breakers") { _, _ in breakersResponse() }
        router.post("/monitoring/circuit-breakers/reset") { request, _ in resetBreakers(request) }
        ErrorRoutes<BasicRequestContext>(aggregator: errors).addRoutes(to: router, atPath: "/monitoring")
        router.get("/health") { _, _ in
            let status = gatewayStatus()
            return JSONResponse(
                DaemonHealth(status: status, timestamp: Self.iso(clock()), version: version, details: ["pipeline": isReady() ? "running" : "starting"]),
                sortingKeys: true)
        }
        router.get("/ready") { _, _ in
            isReady() ? JSONResponse(["status": "ready"]) : JSONResponse(["status": "starting"], status: .serviceUnavailable)
        }
        router.get("/live") { _, _ in JSONResponse(["status": "alive"]) }
    }

    func metricsResponse() -> Response { Self.scrape(registry) }

    /// A Prometheus scrape of `registry`: what `/metrics` answers on the monitoring and
    /// prometheus-exporter listeners alike.
    static func scrape(_ registry: MetricRegistry) -> Response {
        Response(
            status: .ok, headers: [.contentType: PrometheusExposition.contentType],
            body: .init(byteBuffer: ByteBuffer(string: registry.render())))
    }

    func gatewayStatus() -> String {
        (health?.snapshot().map(\.status).max() ?? .healthy).rawValue
    }

    func dashboard() -> HealthDashboard {
        let now = clock()
        // Edge requests: each trace's root entry span, so a request that crosses three
        // services counts once, as a gateway counts it.
        let (total, failed) = edgeRequests.current
        var services: [String: HealthDashboard.Service] = [:]
        // Each service's breakers, stale ones marked: `circuit_breaker` (the worst state) counts
        // only those heard from within `stale_after`, as health does.
        let breakersByService = Dictionary(grouping: breakers.snapshot(now: now), by: \.service)
        for service in health?.snapshot() ?? [] {
            services[service.service] = HealthDashboard.Service(
                status: service.status.rawValue,
                requests: Self.whole(service.requests),
                responseTime: "\(Self.whole(service.meanSeconds * 1000))ms",
                p99ResponseTime: "\(Self.whole(service.p99Seconds * 1000))ms",
                errorRate: HealthDashboard.percent(service.errorRatio),
                circuitBreaker: service.breaker.rawValue,
                circuitBreakers: breakersByService[service.service]?.map { .init(name: $0.name, state: $0.state.rawValue, stale: $0.stale) },
                // The services beyond the health processor's max_services, folded into one entry.
                overflow: service.isOverflow ? true : nil
            )
        }
        let alerts = (health?.alerts() ?? []).reversed().map { alert in
            HealthDashboard.Alert(
                level: alert.level, service: alert.service, message: alert.message,
                timestamp: Self.iso(alert.timeNanos), duration: Self.uptime(now &- alert.timeNanos))
        }
        // Counts are sampling-weighted: the rate comes from the weights, before rounding.
        let requests = HealthDashboard.Requests(
            total: Self.whole(total), successful: Self.whole(total - failed), failed: Self.whole(failed),
            rate: total > 0 ? HealthDashboard.percent((total - failed) / total) : "100.0%")
        return HealthDashboard(
            gateway: .init(name: name, version: version, status: gatewayStatus(), uptime: Self.uptime(now &- startedAt), requests: requests),
            services: services,
            alerts: alerts
        )
    }

    /// Body of `GET /monitoring/circuit-breakers`: the SDK's ``CircuitBreakerStatusResponse``,
    /// the shape a service's own breaker endpoint serves, with the pipeline's optional keys.
    func breakersBody() -> CircuitBreakerStatusResponse {
        let now = clock()
        return CircuitBreakerStatusResponse(
            timestamp: Self.iso(now), circuitBreakers: breakers.snapshot(now: now).map(\.statusResponseEntry))
    }

    func breakersResponse() -> Response { JSONResponse(breakersBody(), sortingKeys: true).response }

    func resetBreakers(_ request: Request) -> Response {
        guard let adminToken, !adminToken.isEmpty else {
            return JSONResponse(["error": "reset is disabled; set CIRCUIT_BREAKER_ADMIN_TOKEN to enable it"], status: .forbidden).response
        }
        let authorization = request.headers[.authorization]
        let presented =
            authorization?.hasPrefix("Bearer ") == true
            ? authorization : request.headers[HTTPField.Name("X-Admin-Token")!].map { "Bearer " + $0 }
        guard BearerToken.matches(presented, token: adminToken) else {
            return JSONResponse(["error": "missing or wrong admin token"], status: .unauthorized).response
        }
        let query = request.uri.queryParameters
        let count = breakers.reset(service: query.get("service"), name: query.get("name"), now: clock())
        CircuitBreakerProcessor.refresh(breakerGauge, from: breakers, now: clock())
        return JSONResponse(BreakerReset(reset: count, timestamp: Self.iso(clock()))).response
    }

    /// A weighted count or a duration as a whole number for JSON, saturating: weights come
    /// from incoming trace state (a span can claim to stand for 2^56 others), so a sum can
    /// exceed what `Int` holds, and converting it must not trap.
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return value > 0 ? Int.max : 0 }
        let rounded = value.rounded()
        if rounded >= 9.2e18 { return Int.max }
        if rounded <= -9.2e18 { return Int.min }
        return Int(rounded)
    }

    static func iso(_ nanos: UInt64) -> String {
        CircuitBreakerStatusResponse.timestamp(Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }

    /// The seed's `2d 14h 32m` form, of a span of nanoseconds.
    static func uptime(_ nanos: UInt64) -> String { HealthDashboard.uptime(.nanoseconds(Int64(clamping: nanos))) }
}

/// The daemon's `GET /health`, keys sorted.
struct DaemonHealth: Encodable, Sendable {
    var status: String
    var timestamp: String
    var version: String
    var details: [String: String]
}

/// The answer to `POST /monitoring/circuit-breakers/reset`: how many breakers were reset.
struct BreakerReset: Encodable, Sendable {
    var reset: Int
    var timestamp: String
}
