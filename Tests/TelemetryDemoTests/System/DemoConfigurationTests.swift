import CircuitBreakers
import Testing

@testable import TelemetryDemo

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

    @Test(
        "durations parse with units or as seconds",
        arguments: [("250ms", Duration.milliseconds(250)), ("2s", .seconds(2)), ("1.5m", .seconds(90)), ("3", .seconds(3)), ("1h30m", .seconds(5400))]
    )
    func durations(text: String, expected: Duration) throws {
        #expect(try DemoSetting.duration(text, name: "--duration") == expected)
    }

    /// `--duration inf` trapped in `Int64(_:)`; `--rate 1e-300` passed validation and trapped
    /// when the driver turned it into an interval.
    @Test(
        "flags that trapped are errors naming the flag",
        arguments: [
            ("--duration", "inf", #"--duration="inf" is not a finite number"#),
            ("--duration", "1e300", #"--duration="1e300" is above the maximum 876600h (100 years)"#),
            ("--duration", "100000000000s", #"--duration="100000000000s" is above the maximum 876600h (100 years)"#),
            ("--chaos-after", "-1s", #"--chaos-after="-1s" is negative"#),
            ("--chaos-for", "soon", #"--chaos-for="soon" is not a duration such as 250ms, 1.5s or 1h30m, or a number of seconds"#),
            ("--rate", "1e-300", #"--rate="1e-300" is below the minimum 0.001 (or 0 for no traffic)"#),
            ("--rate", "inf", #"--rate="inf" is not a finite number"#),
            ("--error-ratio", "nan", #"--error-ratio="nan" is not a finite number"#),
        ]
    )
    func flagTraps(flag: String, value: String, message: String) {
        #expect {
            switch flag {
            case "--rate": _ = try DemoSetting.rate(value, name: flag)
            case "--error-ratio": _ = try DemoSetting.ratio(value, name: flag)
            default: _ = try DemoSetting.duration(value, name: flag)
            }
        } throws: { error in
            (error as? DemoConfigurationError)?.description == message
        }
    }

    @Test(
        "variables that trapped are errors naming the variable",
        arguments: [
            ("DOWNSTREAM_TIMEOUT", "inf", #"DOWNSTREAM_TIMEOUT="inf" is not a finite number"#),
            ("CHAOS_STALL", "100000000000s", #"CHAOS_STALL="100000000000s" is above the maximum 876600h (100 years)"#),
            ("DATABASE_CHECK_TIMEOUT", "0", #"DATABASE_CHECK_TIMEOUT="0" is not above 0"#),
            ("GATEWAY_PORT", "99999999999999999999", #"GATEWAY_PORT="99999999999999999999" is not a port from 0 to 65535"#),
            ("CIRCUIT_BREAKER_TIMEOUT", "99999999999h", #"CIRCUIT_BREAKER_TIMEOUT="99999999999h" is out of range: expected at most 876600h (100 years)"#),
        ]
    )
    func environmentTraps(variable: String, value: String, message: String) {
        #expect {
            try DemoSystem.Configuration(environment: [variable: value])
        } throws: { error in
            (error as? DemoConfigurationError)?.description == message
        }
    }

    @Test("user input validation names the problem")
    func userInput() {
        #expect(UserInput(name: "Ada", email: "ada@example.com").validationProblem == nil)
        #expect(UserInput(name: "", email: "ada@example.com").validationProblem != nil)
        #expect(UserInput(name: "Ada", email: "ada.example.com").validationProblem?.contains("ada.example.com") == true)
    }
}
