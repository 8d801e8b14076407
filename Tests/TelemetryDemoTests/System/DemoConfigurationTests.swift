import CircuitBreaker
import TelemetryDemo
import Testing

@Suite("demo configuration")
struct DemoConfigurationTests {
    @Test("environment variables override the defaults")
    func environment() throws {
        let configuration = try DemoSystem.Configuration(environment: [
            "GATEWAY_PORT": "9000", "USER_PORT": "0", "DATABASE_URL": "postgres://localhost/demo",
            "DOWNSTREAM_TIMEOUT": "250ms", "CIRCUIT_BREAKER_MAX_REQUESTS": "7",
        ])
        #expect(configuration.gatewayPort == 9000)
        #expect(configuration.authPort == 8081)
        #expect(configuration.userPort == 0)
        #expect(configuration.databaseURL == "postgres://localhost/demo")
        #expect(configuration.downstreamTimeout == .milliseconds(250))
        #expect(configuration.breaker.maxRequests == 7)
    }

    @Test("an unusable variable is named in the error")
    func invalid() {
        #expect(throws: DemoConfigurationError.invalid(variable: "AUTH_PORT", value: "eighty", expected: "a port from 0 to 65535")) {
            try DemoSystem.Configuration(environment: ["AUTH_PORT": "eighty"])
        }
        #expect(throws: DemoConfigurationError.self) { try DemoSystem.Configuration(environment: ["CIRCUIT_BREAKER_TIMEOUT": "soon"]) }
    }

    @Test("durations parse with units")
    func durations() {
        #expect(DemoDuration.parse("250ms") == .milliseconds(250))
        #expect(DemoDuration.parse("2s") == .seconds(2))
        #expect(DemoDuration.parse("1.5m") == .seconds(90))
        #expect(DemoDuration.parse("3") == .seconds(3))
        #expect(DemoDuration.parse("soon") == nil)
    }

    @Test("user input validation names the problem")
    func userInput() {
        #expect(UserInput(name: "Ada", email: "ada@example.com").validationProblem == nil)
        #expect(UserInput(name: "", email: "ada@example.com").validationProblem != nil)
        #expect(UserInput(name: "Ada", email: "ada.example.com").validationProblem?.contains("ada.example.com") == true)
    }
}
