import TelemetryCore
import TelemetryMetrics
import Testing

@testable import TelemetryHTTPServer

@Suite("TelemetryServer configuration values")
struct TelemetryServerConfigurationTests {
    @Test(
        "HEALTH_CACHE_TTL takes a duration or a number of seconds",
        arguments: [("0", Duration.zero), ("0.5", .milliseconds(500)), ("250ms", .milliseconds(250)), ("5s", .seconds(5)), ("1m", .seconds(60))]
    )
    func cacheTTL(text: String, expected: Duration) throws {
        #expect(try TelemetryServer.Configuration(environment: ["HEALTH_CACHE_TTL": text]).healthCacheTTL == expected)
    }

    /// The first four trapped in `Int64(_:)` while the configuration was read.
    @Test(
        "values that trapped are errors naming the variable",
        arguments: [
            ("HEALTH_CACHE_TTL", "inf", #"HEALTH_CACHE_TTL="inf" is malformed: expected a finite number"#),
            ("HEALTH_CACHE_TTL", "1e300", #"HEALTH_CACHE_TTL="1e300" is out of range: expected at most 876600h (100 years)"#),
            ("HEALTH_CACHE_TTL", "100000000000s", #"HEALTH_CACHE_TTL="100000000000s" is out of range: expected at most 876600h (100 years)"#),
            ("HEALTH_CACHE_TTL", "1e300h", #"HEALTH_CACHE_TTL="1e300h" is malformed: expected a duration such as 500ms, 5s or 1m"#),
            ("HEALTH_CACHE_TTL", "-1s", #"HEALTH_CACHE_TTL="-1s" is out of range: expected 0 or more"#),
            ("HEALTH_CACHE_TTL", "nan", #"HEALTH_CACHE_TTL="nan" is malformed: expected a finite number"#),
            ("HEALTH_CACHE_TTL", "soon", #"HEALTH_CACHE_TTL="soon" is malformed: expected a duration such as 500ms, 5s or 1m"#),
            ("HEALTH_PORT", "99999999999999999999", #"HEALTH_PORT="99999999999999999999" is out of range: expected a port number between 0 and 65535"#),
            ("METRICS_PORT", "-1", #"METRICS_PORT="-1" is out of range: expected a port number between 0 and 65535"#),
        ]
    )
    func trapsAreNamedErrors(variable: String, value: String, message: String) {
        #expect(throws: ConfigurationError.self) { try TelemetryServer.Configuration(environment: [variable: value]) }
        do {
            _ = try TelemetryServer.Configuration(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
            #expect(error.description == message)
        }
    }
}
