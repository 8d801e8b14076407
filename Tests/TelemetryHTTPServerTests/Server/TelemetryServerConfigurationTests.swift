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
            ("HEALTH_CACHE_TTL", "inf", #"HEALTH_CACHE_TTL="inf" is not a finite number"#),
            ("HEALTH_CACHE_TTL", "1e300", #"HEALTH_CACHE_TTL="1e300" is above the maximum 876600h (100 years)"#),
            ("HEALTH_CACHE_TTL", "100000000000s", #"HEALTH_CACHE_TTL="100000000000s" is above the maximum 876600h (100 years)"#),
            ("HEALTH_CACHE_TTL", "1e300h", #"HEALTH_CACHE_TTL="1e300h" is not a duration such as 500ms, 5s or 1m"#),
            ("HEALTH_CACHE_TTL", "-1s", #"HEALTH_CACHE_TTL="-1s" is negative"#),
            ("HEALTH_CACHE_TTL", "nan", #"HEALTH_CACHE_TTL="nan" is not a finite number"#),
            ("HEALTH_CACHE_TTL", "soon", #"HEALTH_CACHE_TTL="soon" is not a duration such as 500ms, 5s or 1m"#),
            ("HEALTH_PORT", "99999999999999999999", #"HEALTH_PORT="99999999999999999999" is not a port number between 0 and 65535"#),
            ("METRICS_PORT", "-1", #"METRICS_PORT="-1" is not a port number between 0 and 65535"#),
        ]
    )
    func trapsAreNamedErrors(variable: String, value: String, message: String) {
        #expect(throws: TelemetryConfigurationError.self) { try TelemetryServer.Configuration(environment: [variable: value]) }
        do {
            _ = try TelemetryServer.Configuration(environment: [variable: value])
        } catch {
            #expect(error.key == variable)
            #expect(error.description == message)
        }
    }
}
