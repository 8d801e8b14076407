import CircuitBreakers
import Foundation
import TelemetryHTTPServer
import TelemetryMetrics

extension DemoSystem {
    /// Where the three services listen, what they store into, and how they fail.
    public struct Configuration: Sendable {
        /// Interface every service binds to and is called at. Default `127.0.0.1`; `DEMO_HOST`.
        public var host: String
        /// The api-gateway's port. Default 8080; `GATEWAY_PORT`. 0 picks a free port.
        public var gatewayPort: Int
        /// The auth-service's port. Default 8081; `AUTH_PORT`. 0 picks a free port.
        public var authPort: Int
        /// The user-service's port. Default 8082; `USER_PORT`. 0 picks a free port.
        public var userPort: Int
        /// The `version` every `/health` reports. Default `v1.0.0`; `SERVICE_VERSION`.
        public var version: String
        /// PostgreSQL URL for the user-service (`postgres://user:password@host:port/db`).
        /// Default `nil`: SQLite through GRDB. `DATABASE_URL`.
        public var databaseURL: String?
        /// Folder of the SQLite file `users.sqlite`. Default a new folder under the system's
        /// temporary directory; `DEMO_DATA_DIR`.
        public var dataDirectory: String?
        /// How long the gateway and auth-service wait for a downstream. Default 1 s;
        /// `DOWNSTREAM_TIMEOUT` (`500ms`, `2s`).
        public var downstreamTimeout: Duration
        /// How long a database ping may take before `/database/status` says unhealthy.
        /// Default 2 s; `DATABASE_CHECK_TIMEOUT`.
        public var databaseCheckTimeout: Duration
        /// Every breaker's rules. Default: trip after 5 consecutive failures, stay open 5 s,
        /// close after 3 successful probes; the seed's `CIRCUIT_BREAKER_*` variables override.
        public var breaker: CircuitBreaker.Configuration
        /// How often every breaker reports its state to the pipeline. Default 30 s;
        /// `CIRCUIT_BREAKER_REPORT_INTERVAL`.
        public var breakerReportInterval: Duration
        /// How long a `stall` fault holds a request. Default 2 s (past the downstream
        /// timeout, so it shows up as a timeout); `CHAOS_STALL`.
        public var chaosStall: Duration
        /// The seed's alerts' thresholds, the same for every service. Default: enabled, error
        /// rate above 0.2 for 30 s, mean response time above 500 ms for 30 s, a breaker open at
        /// all; environment `ALERTS_ENABLED`, `ALERT_ERROR_RATE_THRESHOLD`,
        /// `ALERT_ERROR_RATE_FOR`, `ALERT_RESPONSE_TIME_THRESHOLD`, `ALERT_RESPONSE_TIME_FOR`,
        /// `ALERT_CIRCUIT_BREAKER_OPEN_FOR`.
        public var alerts: ServiceAlerts.Configuration
        /// The seed's `METRICS_ENABLED/PORT/PATH` and `HEALTH_ENABLED/PORT/PATH`: each service
        /// gets its own metrics and health listeners on ``host``, at these ports plus 0
        /// (api-gateway), 1 (auth-service) and 2 (user-service), so `METRICS_PORT=9090` gives
        /// the seed's `gateway:9090/metrics`. Defaults: metrics 9090–9092, health 8090–8092
        /// (the seed's `HEALTH_PORT` 8080 is the gateway's own port here); 0 picks free ports.
        /// Each service's own port keeps serving `/health` and `/metrics` too.
        public var telemetryServer: TelemetryServer.Configuration
        /// The administrator created at start; may delete users. Default `admin@example.com`;
        /// `DEMO_ADMIN_EMAIL`.
        public var adminEmail: String
        /// The password every demo user logs in with. Default `demo-password`; `DEMO_PASSWORD`.
        public var password: String

        /// The breaker rules the demo starts from: quick to trip and to recover, so a short
        /// run shows every state.
        public static let demoBreaker = CircuitBreaker.Configuration(
            maxRequests: 3,
            interval: .seconds(30),
            timeout: .seconds(5),
            readyToTrip: CircuitBreaker.Configuration.consecutiveFailures(5)
        )

        /// The telemetry listeners' defaults: health from 8090, metrics from 9090.
        public static let demoTelemetryServer: TelemetryServer.Configuration = {
            var configuration = TelemetryServer.Configuration.default
            configuration.healthPort = 8090
            return configuration
        }()

        /// The defaults listed on each property.
        public static let `default` = Configuration()

        /// Creates a configuration; every parameter defaults as documented on its property.
        public init(
            host: String = "127.0.0.1",
            gatewayPort: Int = 8080,
            authPort: Int = 8081,
            userPort: Int = 8082,
            version: String = "v1.0.0",
            databaseURL: String? = nil,
            dataDirectory: String? = nil,
            downstreamTimeout: Duration = .seconds(1),
            databaseCheckTimeout: Duration = .seconds(2),
            breaker: CircuitBreaker.Configuration = Configuration.demoBreaker,
            breakerReportInterval: Duration = CircuitBreakerReporter.defaultInterval,
            chaosStall: Duration = .seconds(2),
            adminEmail: String = "admin@example.com",
            password: String = "demo-password",
            alerts: ServiceAlerts.Configuration = .default,
            telemetryServer: TelemetryServer.Configuration = Configuration.demoTelemetryServer
        ) {
            self.alerts = alerts
            self.telemetryServer = telemetryServer
            self.host = host
            self.gatewayPort = gatewayPort
            self.authPort = authPort
            self.userPort = userPort
            self.version = version
            self.databaseURL = databaseURL
            self.dataDirectory = dataDirectory
            self.downstreamTimeout = downstreamTimeout
            self.databaseCheckTimeout = databaseCheckTimeout
            self.breaker = breaker
            self.breakerReportInterval = breakerReportInterval
            self.chaosStall = chaosStall
            self.adminEmail = adminEmail
            self.password = password
        }

        /// The defaults overridden by the environment variables named on each property.
        ///
        /// - Throws: ``DemoConfigurationError`` naming the first unusable variable.
        public init(environment: [String: String]) throws {
            self.init()
            func value(_ name: String) -> String? {
                guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                return raw
            }
            func port(_ name: String) throws(DemoConfigurationError) -> Int? {
                guard let raw = value(name) else { return nil }
                return try DemoSetting.port(raw, name: name)
            }
            func duration(_ name: String) throws(DemoConfigurationError) -> Duration? {
                guard let raw = value(name) else { return nil }
                return try DemoSetting.duration(raw, name: name, minimum: .nanoseconds(1))
            }
            host = value("DEMO_HOST") ?? host
            gatewayPort = try port("GATEWAY_PORT") ?? gatewayPort
            authPort = try port("AUTH_PORT") ?? authPort
            userPort = try port("USER_PORT") ?? userPort
            version = value("SERVICE_VERSION") ?? version
            databaseURL = value("DATABASE_URL")
            dataDirectory = value("DEMO_DATA_DIR")
            downstreamTimeout = try duration("DOWNSTREAM_TIMEOUT") ?? downstreamTimeout
            databaseCheckTimeout = try duration("DATABASE_CHECK_TIMEOUT") ?? databaseCheckTimeout
            chaosStall = try duration("CHAOS_STALL") ?? chaosStall
            breakerReportInterval = try duration("CIRCUIT_BREAKER_REPORT_INTERVAL") ?? breakerReportInterval
            adminEmail = value("DEMO_ADMIN_EMAIL") ?? adminEmail
            password = value("DEMO_PASSWORD") ?? password
            do {
                alerts = try ServiceAlerts.Configuration(environment: environment)
                telemetryServer = try TelemetryServer.Configuration(environment: environment)
                // Unset, the seed's 8080 would be the gateway's own port.
                if (environment["HEALTH_PORT"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                    telemetryServer.healthPort = Self.demoTelemetryServer.healthPort
                }
            } catch {
                throw DemoConfigurationError.telemetry(error)
            }
            do {
                breaker = try CircuitBreaker.Configuration.fromEnvironment(environment, base: breaker)
            } catch {
                throw DemoConfigurationError.breaker(error)
            }
        }
    }
}
