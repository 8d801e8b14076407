import Logging
import ServiceLifecycle
import TelemetryHTTPServer
import TelemetryMetrics

extension DemoSystem {
    /// Where one service's own metrics and health listeners are (ports known once bound).
    public struct TelemetryAddresses: Sendable {
        /// The health listener (`HEALTH_PATH`, `/ready`, `/live`, `/database/status`), or `nil` when `HEALTH_ENABLED=false`.
        public let health: ServiceAddress?
        /// The metrics listener (`METRICS_PATH`), or `nil` when `METRICS_ENABLED=false`.
        public let metrics: ServiceAddress?

        var isBound: Bool { (health?.isBound ?? true) && (metrics?.isBound ?? true) }
    }
}

extension DemoSystem.Configuration {
    /// The telemetry listeners of the service at `offset` (0 gateway, 1 auth-service, 2
    /// user-service): ``telemetryServer``'s ports plus `offset`, on ``host``.
    ///
    /// - Throws: ``DemoConfigurationError`` when a port would pass 65535 or is a service's own port.
    func telemetryServer(offset: Int) throws(DemoConfigurationError) -> TelemetryServer.Configuration {
        var server = telemetryServer
        server.host = host
        let own = Set([gatewayPort, authPort, userPort].filter { $0 != 0 })
        func shifted(_ base: Int, variable: String, enabled: Bool) throws(DemoConfigurationError) -> Int {
            guard enabled, base != 0 else { return base }
            let port = base + offset
            guard port <= 65535 else {
                throw .invalid(variable: variable, value: String(base), expected: "a port below 65534: the three services use it, +1 and +2")
            }
            guard !own.contains(port) else {
                throw .invalid(
                    variable: variable, value: String(base), expected: "free: port \(port) is a demo service's own port (GATEWAY_PORT, AUTH_PORT, USER_PORT)")
            }
            return port
        }
        server.healthPort = try shifted(server.healthPort, variable: "HEALTH_PORT", enabled: server.healthEnabled)
        server.metrics.port = try shifted(server.metrics.port, variable: "METRICS_PORT", enabled: server.metrics.enabled)
        return server
    }
}

extension DemoSystem {
    /// One service's `TelemetryServer`, logging each URL as it binds.
    static func telemetryListeners(
        _ name: String, configuration: TelemetryServer.Configuration, telemetry: DemoServiceTelemetry, logger: Logger
    ) -> (TelemetryServer, TelemetryAddresses) {
        let health = configuration.healthEnabled ? ServiceAddress(host: configuration.host, port: configuration.healthPort) : nil
        let metrics = configuration.metrics.enabled ? ServiceAddress(host: configuration.host, port: configuration.metrics.port) : nil
        var logger = logger
        logger[metadataKey: "service"] = "\(name)"
        let healthPath = configuration.healthPath
        let metricsPath = configuration.metrics.path
        let server = TelemetryServer(
            configuration: configuration, health: telemetry.health, metrics: telemetry.metrics, logger: logger
        ) { [logger] role, port in
            if role != .metrics, let health {
                health.recordBound(port)
                logger.info("\(name) health listening", metadata: ["url": "\(health.baseURL)\(healthPath)"])
            }
            if role != .health, let metrics {
                metrics.recordBound(port)
                logger.info("\(name) metrics listening", metadata: ["url": "\(metrics.baseURL)\(metricsPath)"])
            }
        }
        return (server, TelemetryAddresses(health: health, metrics: metrics))
    }
}
