import TelemetryCore
import Testing

@testable import TelemetryMetrics

@Suite struct ConfigurationTests {
    @Test func defaultsAreTheSeeds() throws {
        let configuration = try PrometheusMetricsBackend.Configuration(environment: [:])
        #expect(configuration.enabled)
        #expect(configuration.port == 9090)
        #expect(configuration.path == "/metrics")
    }

    @Test func readsTheEnvironment() throws {
        let configuration = try PrometheusMetricsBackend.Configuration(
            environment: ["METRICS_ENABLED": "false", "METRICS_PORT": "9464", "METRICS_PATH": "/prom"]
        )
        #expect(!configuration.enabled)
        #expect(configuration.port == 9464)
        #expect(configuration.path == "/prom")
    }

    @Test func badValuesNameTheVariable() {
        #expect(throws: ConfigurationError.outOfRange("METRICS_PORT", "70000", expected: EnvironmentReader.Expected.port)) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_PORT": "70000"])
        }
        #expect(throws: ConfigurationError.malformed("METRICS_ENABLED", "maybe", expected: EnvironmentReader.Expected.boolean)) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_ENABLED": "maybe"])
        }
        #expect(throws: ConfigurationError.malformed("METRICS_PATH", "metrics", expected: EnvironmentReader.Expected.path)) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_PATH": "metrics"])
        }
        #expect(ConfigurationError.malformed("METRICS_PORT", "x", expected: EnvironmentReader.Expected.port).description.contains("METRICS_PORT"))
    }

    @Test func durationsAcceptUnits() throws {
        let reader = EnvironmentReader(["A": "250ms", "B": "5s", "C": "1m", "D": "2", "E": "soon"])
        #expect(try reader.duration("A") == .milliseconds(250))
        #expect(try reader.duration("B") == .seconds(5))
        #expect(try reader.duration("C") == .seconds(60))
        #expect(try reader.duration("D") == .seconds(2))
        #expect(throws: ConfigurationError.self) { try reader.duration("E") }
    }
}
