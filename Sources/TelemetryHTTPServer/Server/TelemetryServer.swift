import HealthChecks
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TelemetryMetrics

/// A `Service` that serves the telemetry endpoints on the configured ports.
///
/// Health endpoints listen on `HEALTH_PORT` (8080) and `/metrics` on `METRICS_PORT` (9090);
/// when the two ports are equal one server answers both. Run it in the application's
/// `ServiceGroup`; it stops on graceful shutdown.
public struct TelemetryServer: Service {
    /// Which endpoints a listening server answers.
    public enum Role: String, Sendable {
        /// `/health`, `/ready`, `/live`, `/database/status`.
        case health
        /// `/metrics`.
        case metrics
        /// Both, on one port.
        case combined
    }

    /// The settings the server was created with.
    public let configuration: Configuration
    /// The endpoints served.
    public let endpoints: TelemetryEndpoints
    private let logger: Logger
    private let onListening: @Sendable (Role, Int) async -> Void

    /// Creates the server.
    ///
    /// - Parameter onListening: called once per listening socket with its role and actual port
    ///   (useful with port 0).
    public init(
        configuration: Configuration,
        health: HealthRegistry,
        metrics: PrometheusMetricsBackend,
        logger: Logger = Logger(label: "telemetry.server"),
        onListening: @escaping @Sendable (Role, Int) async -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        var endpoints = TelemetryEndpoints(health: health, metrics: metrics, healthPath: configuration.healthPath)
        endpoints.metricsPath = metrics.configuration.path
        self.endpoints = endpoints
        self.logger = logger
        self.onListening = onListening
    }

    /// The listeners this configuration asks for: (role, port).
    var listeners: [(Role, Int)] {
        let metrics = configuration.metrics
        switch (configuration.healthEnabled, metrics.enabled) {
        case (true, true) where configuration.healthPort == metrics.port && metrics.port != 0:
            return [(.combined, metrics.port)]
        case (true, true):
            return [(.health, configuration.healthPort), (.metrics, metrics.port)]
        case (true, false):
            return [(.health, configuration.healthPort)]
        case (false, true):
            return [(.metrics, metrics.port)]
        case (false, false):
            return []
        }
    }

    public func run() async throws {
        let listeners = self.listeners
        guard !listeners.isEmpty else {
            // Nothing to serve; stay alive until shutdown like any other service.
            try? await gracefulShutdown()
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (role, port) in listeners {
                let application = makeApplication(role: role, port: port)
                group.addTask { try await application.run() }
            }
            try await group.waitForAll()
        }
    }

    private func makeApplication(role: Role, port: Int) -> some ApplicationProtocol {
        let router = Router()
        switch role {
        case .health: endpoints.addHealthRoutes(to: router)
        case .metrics: endpoints.addMetricsRoute(to: router)
        case .combined: endpoints.addRoutes(to: router)
        }
        let onListening = self.onListening
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: nil),
            onServerRunning: { channel in
                await onListening(role, channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }
}
