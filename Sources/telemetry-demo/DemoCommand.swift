import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TelemetryCore
import TelemetryDemo
import TelemetryTracing
import Tracing
import UnixSignals

@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry-demo",
        abstract: "Runs the seed's api-gateway, auth-service and user-service, instrumented, with a traffic driver.",
        discussion: """
            Services listen on 127.0.0.1:8080 (api-gateway), :8081 (auth-service) and :8082 (user-service).
            Spans go to TRACING_ENDPOINT (default http://127.0.0.1:4318/v1/traces, the local telemetry-pipeline),
            sampled by TRACING_SAMPLER. The user-service stores into SQLite unless DATABASE_URL names a PostgreSQL database.
            Each service also has its own metrics and health listeners: METRICS_PORT (default 9090) for the api-gateway,
            +1 for the auth-service, +2 for the user-service, likewise HEALTH_PORT (default 8090); METRICS_ENABLED,
            METRICS_PATH, HEALTH_ENABLED and HEALTH_PATH apply to all three. Every URL is logged as it binds.
            """
    )

    @Option(help: "Gateway requests per second (0: no traffic).")
    var rate = "10"

    @Option(help: "How long to send traffic, e.g. 90s or 5m (default: until interrupted).")
    var duration: String?

    @Option(help: "Share of requests that are invalid on purpose (0...1).")
    var errorRatio = "0.1"

    @Flag(help: "Inject a user-service outage (see --chaos-after, --chaos-for, --chaos-mode).")
    var chaos = false

    @Option(help: "When the outage starts, after traffic begins.")
    var chaosAfter = "10s"

    @Option(help: "How long the outage lasts.")
    var chaosFor = "20s"

    @Option(help: "Faults during the outage: fail (503), stall (timeouts), database (real database errors) or mixed.")
    var chaosMode: String = ChaosMode.mixed.rawValue

    @Flag(help: "Stop the services when the traffic ends.")
    var exitWhenDone = false

    @Option(help: "Seed of the request mix.")
    var seed: UInt64 = 1

    @Option(help: "Bind address (env DEMO_HOST).")
    var host: String?

    @Option(help: "api-gateway port (env GATEWAY_PORT, default 8080).")
    var gatewayPort: Int?

    @Option(help: "auth-service port (env AUTH_PORT, default 8081).")
    var authPort: Int?

    @Option(help: "user-service port (env USER_PORT, default 8082).")
    var userPort: Int?

    @Option(help: "PostgreSQL URL for the user-service (env DATABASE_URL; default: SQLite).")
    var databaseURL: String?

    @Option(help: "Folder for the SQLite file (env DEMO_DATA_DIR; default: a temporary folder).")
    var dataDir: String?

    func run() async throws {
        var logger = Logger(label: "telemetry-demo")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let environment = DemoExporter.withDefaultEndpoint(ProcessInfo.processInfo.environment)

        var configuration = try DemoSystem.Configuration(environment: environment)
        configuration.host = host ?? configuration.host
        configuration.gatewayPort = gatewayPort ?? configuration.gatewayPort
        configuration.authPort = authPort ?? configuration.authPort
        configuration.userPort = userPort ?? configuration.userPort
        configuration.databaseURL = databaseURL ?? configuration.databaseURL
        configuration.dataDirectory = dataDir ?? configuration.dataDirectory
        let traffic = try trafficConfiguration()

        // One tracer per service, so each span carries its own service.name; OTEL_SERVICE_NAME
        // would give all three the same name and is ignored here.
        var tracingEnvironment = environment
        tracingEnvironment["OTEL_SERVICE_NAME"] = nil
        let telemetryEnvironment = try TelemetryEnvironment(tracingEnvironment)
        var processors: [any Service] = []
        var tracers: [String: any Tracer] = [:]
        for name in ["api-gateway", "auth-service", "user-service"] {
            let components = try TelemetryBootstrap.makeComponents(
                configuration: .init(serviceName: name, serviceVersion: configuration.version),
                environment: telemetryEnvironment
            ) { _ in try DemoExporter.make(environment: tracingEnvironment) }
            processors.append(components.service)
            tracers[name] = components.tracer ?? NoOpTracer()
        }
        // Breakers record their span events on the active span through the global tracer.
        if let gatewayTracer = tracers["api-gateway"] as? TelemetryTracer { InstrumentationSystem.bootstrap(gatewayTracer) }

        let system = try DemoSystem(configuration: configuration, logger: logger) { tracers[$0] ?? NoOpTracer() }
        let driver = TrafficDriver(configuration: traffic, system: system, logger: logger)
        logger.info(
            "telemetry-demo starting",
            metadata: [
                "api-gateway": "\(system.gatewayAddress.baseURL)", "auth-service": "\(system.authAddress.baseURL)",
                "user-service": "\(system.userAddress.baseURL)", "database": "\(system.store.description)",
                "tracing":
                    "\(environment["TRACING_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "")",
            ]
        )
        let group = ServiceGroup(
            configuration: .init(
                services: (processors + system.services).map { .init(service: $0) }
                    // Without --exit-when-done the driver only returns once shutdown has begun.
                    + [.init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// The traffic flags, each read by the package's one configuration parser: a value it
    /// refuses (`--duration inf`, `--rate 1e-300`) is a usage error naming the flag.
    func trafficConfiguration() throws -> TrafficDriver.Configuration {
        do {
            guard let mode = ChaosMode(rawValue: chaosMode) else {
                throw ValidationError("--chaos-mode must be one of \(ChaosMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(chaosMode)")
            }
            return TrafficDriver.Configuration(
                rate: try DemoSetting.rate(rate, name: "--rate"),
                duration: try duration.map { text throws(DemoConfigurationError) in try DemoSetting.duration(text, name: "--duration") },
                errorRatio: try DemoSetting.ratio(errorRatio, name: "--error-ratio"),
                chaos: chaos
                    ? .init(
                        after: try DemoSetting.duration(chaosAfter, name: "--chaos-after"),
                        length: try DemoSetting.duration(chaosFor, name: "--chaos-for"), mode: mode)
                    : nil,
                keepServing: !exitWhenDone,
                seed: seed
            )
        } catch let error as DemoConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
