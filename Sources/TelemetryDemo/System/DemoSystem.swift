import AsyncHTTPClient
import CircuitBreakers
import Foundation
import HealthChecks
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TelemetryHTTPServer
import TelemetryMetrics
import Tracing

/// The seed's three services wired together on one host: `api-gateway` → `auth-service` →
/// `user-service`, each with its own tracer, metrics, health checks, breakers and errors.
///
/// ```swift
/// let system = try DemoSystem(configuration: .default) { service in tracer(for: service) }
/// try await ServiceGroup(services: system.services, gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class DemoSystem: Sendable {
    /// The settings the system was built with.
    public let configuration: Configuration
    /// Turns user-service faults on and off.
    public let chaos: ChaosSwitch
    /// The api-gateway's address (port known once bound).
    public let gatewayAddress: ServiceAddress
    /// The auth-service's address.
    public let authAddress: ServiceAddress
    /// The user-service's address.
    public let userAddress: ServiceAddress
    /// The user-service's database.
    public let store: any UserStore
    /// The instruments of each service, by name.
    public let telemetry: [String: DemoServiceTelemetry]
    /// The gateway's breakers (`user-service`, `auth-service`).
    public let gatewayBreakers: CircuitBreakerRegistry
    /// The auth-service's breakers (`user-client`).
    public let authBreakers: CircuitBreakerRegistry
    /// Each service's own metrics and health listeners, by service name.
    public let telemetryAddresses: [String: TelemetryAddresses]
    /// Each service's alerts, by service name; the gateway's dashboard lists its own.
    public let alerts: [String: ServiceAlerts]
    /// Everything to run, in start order: clients, database, background tasks, then the
    /// user-service, auth-service and gateway servers (a `ServiceGroup` stops them in reverse).
    public let services: [any Service]

    /// Builds the system.
    ///
    /// - Parameters:
    ///   - tracer: the tracer for a service name; spans it makes must carry that name.
    ///   - logger: receives startup, breaker and database messages.
    /// - Throws: when the database cannot be opened, `DATABASE_URL` is malformed, or a
    ///   telemetry listener's port is unusable (``DemoConfigurationError``).
    public init(
        configuration: Configuration = .default,
        logger: Logger = Logger(label: "telemetry-demo"),
        tracer: (String) -> any Tracer
    ) throws {
        self.configuration = configuration
        let chaos = ChaosSwitch(stall: configuration.chaosStall)
        self.chaos = chaos
        gatewayAddress = ServiceAddress(host: configuration.host, port: configuration.gatewayPort)
        authAddress = ServiceAddress(host: configuration.host, port: configuration.authPort)
        userAddress = ServiceAddress(host: configuration.host, port: configuration.userPort)

        let store: any UserStore
        if let url = configuration.databaseURL {
            store = try PostgresUserStore(url: url, logger: logger)
        } else {
            let directory = configuration.dataDirectory ?? NSTemporaryDirectory() + "telemetry-demo-\(ProcessInfo.processInfo.processIdentifier)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteUserStore(path: directory + "/users.sqlite")
        }
        self.store = store

        let names = [APIGateway.name, AuthService.name, UserService.name]
        let telemetry = Dictionary(
            uniqueKeysWithValues: names.map { name in
                (
                    name,
                    DemoServiceTelemetry(
                        service: name, tracer: tracer(name), version: configuration.version,
                        metrics: configuration.telemetryServer.metrics, alerting: configuration.alerts)
                )
            })
        self.telemetry = telemetry
        let gatewayTelemetry = telemetry[APIGateway.name]!
        let authTelemetry = telemetry[AuthService.name]!
        let userTelemetry = telemetry[UserService.name]!

        var breakerLogger = logger
        breakerLogger[metadataKey: "component"] = "circuit-breaker"
        gatewayBreakers = CircuitBreakerRegistry(
            service: APIGateway.name, defaultConfiguration: configuration.breaker, clock: ContinuousClock(),
            logger: breakerLogger, metricsFactory: gatewayTelemetry.metrics.factory, tracer: gatewayTelemetry.tracer
        )
        authBreakers = CircuitBreakerRegistry(
            service: AuthService.name, defaultConfiguration: configuration.breaker, clock: ContinuousClock(),
            logger: breakerLogger, metricsFactory: authTelemetry.metrics.factory, tracer: authTelemetry.tracer
        )

        let gatewayClient = InstrumentedHTTPClient(tracer: gatewayTelemetry.tracer)
        let authClient = InstrumentedHTTPClient(tracer: authTelemetry.tracer)
        let timeout = configuration.downstreamTimeout
        let gatewayToUsers = Downstream(
            name: UserService.name, address: userAddress, breaker: gatewayBreakers.breaker(named: UserService.name, guarding: UserService.name),
            client: gatewayClient, timeout: timeout
        )
        let gatewayToAuth = Downstream(
            name: AuthService.name, address: authAddress, breaker: gatewayBreakers.breaker(named: AuthService.name, guarding: AuthService.name),
            client: gatewayClient, timeout: timeout
        )
        let authToUsers = Downstream(
            name: UserService.name, address: userAddress, breaker: authBreakers.breaker(named: AuthService.userClientBreaker, guarding: UserService.name),
            client: authClient, timeout: timeout
        )

        let userService = UserService(telemetry: userTelemetry, store: store, chaos: chaos, databaseTimeout: configuration.databaseCheckTimeout)
        let authService = AuthService(
            telemetry: authTelemetry, breakers: authBreakers, users: authToUsers,
            password: configuration.password, adminEmail: configuration.adminEmail
        )
        let alerts = [
            APIGateway.name: gatewayTelemetry.makeAlerts(breakers: gatewayBreakers, downstreams: [gatewayToUsers, gatewayToAuth]),
            AuthService.name: authTelemetry.makeAlerts(breakers: authBreakers, downstreams: [authToUsers]),
            UserService.name: userTelemetry.makeAlerts(),
        ]
        self.alerts = alerts
        let gateway = APIGateway(
            telemetry: gatewayTelemetry, breakers: gatewayBreakers, users: gatewayToUsers, auth: gatewayToAuth,
            alerts: alerts[APIGateway.name]!, version: configuration.version
        )

        var services: [any Service] = [
            BackgroundTask(name: "http clients") {
                // Held open until shutdown; the servers using them stop first.
                try? await gracefulShutdown()
                try await gatewayClient.shutdown()
                try await authClient.shutdown()
            }
        ]
        if let postgres = store as? PostgresUserStore { services.append(postgres) }
        let adminEmail = configuration.adminEmail
        services.append(
            BackgroundTask(name: "database setup") {
                try await Self.prepare(store, adminEmail: adminEmail, logger: logger)
                try await gracefulShutdown()
            })
        // Keeps `error_rate` gauges and `alerts` current while no errors arrive.
        services += names.map { AlertEvaluation(alerts: alerts[$0]!) as any Service }
        services.append(CircuitBreakerReporter(registries: [gatewayBreakers, authBreakers], interval: configuration.breakerReportInterval))
        var telemetryAddresses: [String: TelemetryAddresses] = [:]
        for (offset, name) in names.enumerated() {
            let (server, addresses) = Self.telemetryListeners(
                name, configuration: try configuration.telemetryServer(offset: offset), telemetry: telemetry[name]!, logger: logger
            )
            services.append(server)
            telemetryAddresses[name] = addresses
        }
        self.telemetryAddresses = telemetryAddresses
        services.append(Self.application(UserService.name, userService.makeRouter(), userAddress, logger))
        services.append(Self.application(AuthService.name, authService.makeRouter(), authAddress, logger))
        services.append(Self.application(APIGateway.name, gateway.makeRouter(), gatewayAddress, logger))
        self.services = services
    }

    /// Waits until every server has bound its port and the database is ready (or `timeout` passes).
    ///
    /// - Returns: whether everything came up in time.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if gatewayAddress.isBound, authAddress.isBound, userAddress.isBound, telemetryAddresses.values.allSatisfy(\.isBound),
                await telemetry[UserService.name]!.health.refresh().isReady
            {
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Creates the table and the administrator, retrying while the database is unreachable.
    static func prepare(_ store: any UserStore, adminEmail: String, logger: Logger) async throws {
        var attempt = 0
        while true {
            do {
                try await store.migrate()
                if try await store.user(email: adminEmail) == nil {
                    do {
                        _ = try await store.create(UserInput(name: "Administrator", email: adminEmail))
                    } catch let error as UserStoreError where error.isDuplicateEmail {
                        // Another demo instance sharing the database created it first.
                    }
                }
                logger.info("user database ready", metadata: ["database": "\(store.description)"])
                return
            } catch {
                attempt += 1
                if attempt == 1 || attempt % 10 == 0 {
                    logger.warning("user database not ready; retrying", metadata: ["database": "\(store.description)", "error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    static func application(_ name: String, _ router: Router<BasicRequestContext>, _ address: ServiceAddress, _ logger: Logger) -> any Service {
        var logger = logger
        logger[metadataKey: "service"] = "\(name)"
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.requestedPort), serverName: name),
            onServerRunning: { [logger] channel in
                let port = channel.localAddress?.port ?? address.requestedPort
                address.recordBound(port)
                logger.info("\(name) listening", metadata: ["url": "http://\(address.host):\(port)"])
            },
            logger: logger
        )
    }
}
