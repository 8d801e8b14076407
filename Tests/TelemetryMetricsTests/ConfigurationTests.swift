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
        #expect(throws: TelemetryConfigurationError.notAPort(key: "METRICS_PORT", value: "70000")) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_PORT": "70000"])
        }
        #expect(throws: TelemetryConfigurationError.notABoolean(key: "METRICS_ENABLED", value: "maybe")) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_ENABLED": "maybe"])
        }
        #expect(throws: TelemetryConfigurationError.notAPath(key: "METRICS_PATH", value: "metrics")) {
            try PrometheusMetricsBackend.Configuration(environment: ["METRICS_PATH": "metrics"])
        }
        #expect(TelemetryConfigurationError.notAPort(key: "METRICS_PORT", value: "x").description.contains("METRICS_PORT"))
    }

    @Test func durationsAcceptUnits() throws {
        let reader = EnvironmentReader(["A": "250ms", "B": "5s", "C": "1m", "D": "2", "E": "soon"])
        #expect(try reader.duration("A") == .milliseconds(250))
        #expect(try reader.duration("B") == .seconds(5))
        #expect(try reader.duration("C") == .seconds(60))
        #expect(try reader.duration("D") == .seconds(2))
        #expect(throws: TelemetryConfigurationError.self) { try reader.duration("E") }
    }
}
