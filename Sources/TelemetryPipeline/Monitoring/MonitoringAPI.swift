import CircuitBreakers
import ErrorAggregation
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TelemetryMetrics
import TelemetryHTTPServer

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
        router.get("/monitoring/health/dashboard") { _, _ in json(dashboard()) }
        router.get("/monitoring/circuit-breakers") { _, _ in breakersResponse() }
        router.post("/monitoring/circuit-breakers/reset") { request, _ in resetBreakers(request) }
        ErrorRoutes<BasicRequestContext>(aggregator: errors).addRoutes(to: router, atPath: "/monitoring")
        router.get("/health") { _, _ in
            let status = gatewayStatus()
            return json([
                "status": status, "timestamp": Self.iso(clock()), "version": version,
                "details": ["pipeline": isReady() ? "running" : "starting"],
            ])
        }
        router.get("/ready") { _, _ in
            isReady() ? json(["status": "ready"]) : json(["status": "starting"], status: .serviceUnavailable)
        }
        router.get("/live") { _, _ in json(["status": "alive"]) }
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

    func dashboard() -> [String: Any] {
        let now = clock()
        // Edge requests: each trace's root entry span, so a request that crosses three
        // services counts once, as a gateway counts it.
        let (total, failed) = edgeRequests.current
        var services: [String: Any] = [:]
        // Each service's breakers, stale ones marked: `circuit_breaker` (the worst state) counts
        // only those heard from within `stale_after`, as health does.
        let breakersByService = Dictionary(grouping: breakers.snapshot(now: now), by: \.service)
        for service in health?.snapshot() ?? [] {
            var entry: [String: Any] = [
                "status": service.status.rawValue,
                "requests": Self.whole(service.requests),
                "response_time": "\(Self.whole(service.meanSeconds * 1000))ms",
                "p99_response_time": "\(Self.whole(service.p99Seconds * 1000))ms",
                "error_rate": HealthBoard.percent(service.errorRatio),
                "circuit_breaker": service.breaker.rawValue,
            ]
            if let own = breakersByService[service.service] {
                entry["circuit_breakers"] = own.map { ["name": $0.name, "state": $0.state.rawValue, "stale": $0.stale] as [String: Any] }
            }
            // The services beyond the health processor's max_services, folded into one entry.
            if service.isOverflow { entry["overflow"] = true }
            services[service.service] = entry
        }
        let alerts: [[String: Any]] = (health?.alerts() ?? []).reversed().map { alert in
            [
                "level": alert.level, "service": alert.service, "message": alert.message,
                "timestamp": Self.iso(alert.timeNanos), "duration": Self.uptime(now &- alert.timeNanos),
            ]
        }
        return [
            "gateway": [
                "name": name, "version": version, "status": gatewayStatus(), "uptime": Self.uptime(now &- startedAt),
                "requests": [
                    "total": Self.whole(total), "successful": Self.whole(total - failed), "failed": Self.whole(failed),
                    "rate": total > 0 ? HealthBoard.percent((total - failed) / total) : "100.0%",
                ],
            ],
            "services": services,
            "alerts": alerts,
        ]
    }

    /// Body of `GET /monitoring/circuit-breakers`: the SDK's ``CircuitBreakerStatusResponse``,
    /// the shape a service's own breaker endpoint serves, with the pipeline's optional keys.
    func breakersBody() -> CircuitBreakerStatusResponse {
        let now = clock()
        return CircuitBreakerStatusResponse(
            timestamp: Self.iso(now), circuitBreakers: breakers.snapshot(now: now).map(\.statusResponseEntry))
    }

    func breakersResponse() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(breakersBody())) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func resetBreakers(_ request: Request) -> Response {
        guard let adminToken, !adminToken.isEmpty else {
            return json(["error": "reset is disabled; set CIRCUIT_BREAKER_ADMIN_TOKEN to enable it"], status: .forbidden)
        }
        let authorization = request.headers[.authorization]
        let presented = authorization?.hasPrefix("Bearer ") == true
            ? authorization : request.headers[HTTPField.Name("X-Admin-Token")!].map { "Bearer " + $0 }
        guard BearerToken.matches(presented, token: adminToken) else {
            return json(["error": "missing or wrong admin token"], status: .unauthorized)
        }
        let query = request.uri.queryParameters
        let count = breakers.reset(service: query.get("service"), name: query.get("name"), now: clock())
        CircuitBreakerProcessor.refresh(breakerGauge, from: breakers, now: clock())
        return json(["reset": count, "timestamp": Self.iso(clock())])
    }

    func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
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

    /// The seed's `2d 14h 32m` form.
    static func uptime(_ nanos: UInt64) -> String {
        let minutes = nanos / 60_000_000_000
        let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60)
        if days > 0 { return "\(days)d \(hours)h \(mins)m" }
        if hours > 0 { return "\(hours)h \(mins)m" }
        if mins > 0 { return "\(mins)m" }
        return "\(nanos / 1_000_000_000)s"
    }
}
