import Foundation
import Logging
import ServiceLifecycle
import TelemetryHTTPServer
import TelemetryTracing

extension ServiceTelemetry {
    /// ``ServiceTelemetry/bootstrap(serviceName:tracing:endpoints:logger:onListening:makeExporter:)``
    /// with the exporter the environment asks for (see ``EnvironmentSpanExporter``): a service
    /// needs no code to choose between Jaeger, OTLP/HTTP, OTLP/gRPC and the console.
    ///
    /// ```swift
    /// let telemetry = try ServiceTelemetry.bootstrap(serviceName: "users")
    /// let group = ServiceGroup(services: [telemetry, app], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// ```
    ///
    /// - Throws: `ConfigurationError` naming the first malformed variable.
    public static func bootstrap(
        serviceName: String? = nil,
        tracing: TelemetryBootstrap.Configuration = .default,
        endpoints: TelemetryServer.Configuration = .default,
        logger: Logger = Logger(label: "telemetry.server"),
        onListening: @escaping @Sendable (TelemetryServer.Role, Int) async -> Void = { _, _ in }
    ) throws -> ServiceTelemetry {
        let environment = ProcessInfo.processInfo.environment
        return try bootstrap(serviceName: serviceName, tracing: tracing, endpoints: endpoints, logger: logger, onListening: onListening) { _ in
            try EnvironmentSpanExporter.make(environment: environment).exporter
        }
    }

    /// ``ServiceTelemetry/init(serviceName:tracing:endpoints:environment:clock:logger:onListening:makeExporter:)``
    /// with the exporter `environment` asks for, installing nothing process-wide (tests;
    /// applications that install their own backends).
    ///
    /// - Throws: `ConfigurationError` naming the first malformed variable.
    public init<C: Clock<Duration>>(
        serviceName: String? = nil,
        tracing: TelemetryBootstrap.Configuration = .default,
        endpoints: TelemetryServer.Configuration = .default,
        environment: [String: String],
        clock: C = ContinuousClock(),
        logger: Logger = Logger(label: "telemetry.server"),
        onListening: @escaping @Sendable (TelemetryServer.Role, Int) async -> Void = { _, _ in }
    ) throws {
        try self.init(
            serviceName: serviceName, tracing: tracing, endpoints: endpoints, environment: environment, clock: clock, logger: logger,
            onListening: onListening
        ) { _ in try EnvironmentSpanExporter.make(environment: environment).exporter }
    }
}

extension TelemetryBootstrap {
    /// ``TelemetryBootstrap/bootstrap(configuration:makeExporter:)`` with the exporter the
    /// environment asks for (see ``EnvironmentSpanExporter``), for a program that traces but
    /// serves no endpoints.
    ///
    /// - Throws: `ConfigurationError` naming the first malformed variable.
    @available(*, deprecated, message: "use ServiceTelemetry.bootstrap(serviceName:tracing:endpoints: .withoutEndpoints)")
    public static func bootstrap(configuration: Configuration = .default) throws -> any Service {
        let environment = ProcessInfo.processInfo.environment
        return try bootstrap(configuration: configuration) { _ in try EnvironmentSpanExporter.make(environment: environment).exporter }
    }

    /// ``bootstrap(configuration:)`` with just a service name.
    @available(*, deprecated, message: "use ServiceTelemetry.bootstrap(serviceName:endpoints: .withoutEndpoints)")
    public static func bootstrap(serviceName: String) throws -> any Service {
        let environment = ProcessInfo.processInfo.environment
        return try TelemetryBootstrap.bootstrap(configuration: Configuration(serviceName: serviceName)) { _ in
            try EnvironmentSpanExporter.make(environment: environment).exporter
        }
    }
}
