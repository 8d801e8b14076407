import CircuitBreakers
import TelemetryCore
import Testing

@Suite struct EnvironmentTests {
    @Test func readsTheSeedVariables() throws {
        let configuration = try CircuitBreaker.Configuration.fromEnvironment([
            "CIRCUIT_BREAKER_MAX_REQUESTS": "5",
            "CIRCUIT_BREAKER_INTERVAL": "60s",
            "CIRCUIT_BREAKER_TIMEOUT": "500ms",
            "CIRCUIT_BREAKER_FAILURE_THRESHOLD": "5",
        ])
        #expect(configuration.maxRequests == 5)
        #expect(configuration.interval == .seconds(60))
        #expect(configuration.timeout == .milliseconds(500))
        #expect(configuration.readyToTrip(Counts(consecutiveFailures: 4)) == false)
        #expect(configuration.readyToTrip(Counts(consecutiveFailures: 5)) == true)
    }

    @Test func unsetVariablesKeepTheDefaults() throws {
        let configuration = try CircuitBreaker.Configuration.fromEnvironment([:])
        #expect(configuration.maxRequests == 1)
        #expect(configuration.interval == .zero)
        #expect(configuration.timeout == .seconds(60))
        #expect(configuration.readyToTrip(Counts(consecutiveFailures: 5)) == false)
        #expect(configuration.readyToTrip(Counts(consecutiveFailures: 6)) == true)
    }

    @Test func readsTheBucketPeriod() throws {
        let configuration = try CircuitBreaker.Configuration.fromEnvironment([
            "CIRCUIT_BREAKER_INTERVAL": "60s",
            "CIRCUIT_BREAKER_BUCKET_PERIOD": "10s",
        ])
        #expect(configuration.bucketPeriod == .seconds(10))
        #expect(try CircuitBreaker.Configuration.fromEnvironment([:]).bucketPeriod == .zero)
        #expect(try CircuitBreaker.Configuration.fromEnvironment(["CIRCUIT_BREAKER_BUCKET_PERIOD": "0"]).bucketPeriod == .zero)
        let base = CircuitBreaker.Configuration(interval: .seconds(30))
        #expect(try CircuitBreaker.Configuration.fromEnvironment(["CIRCUIT_BREAKER_BUCKET_PERIOD": "30s"], base: base).bucketPeriod == .seconds(30))
    }

    /// Bucket periods gobreaker would quietly ignore or round the interval up for.
    @Test(arguments: [
        ([:], "10s", "expected 0 while CIRCUIT_BREAKER_INTERVAL is 0: buckets divide the interval"),
        (["CIRCUIT_BREAKER_INTERVAL": "60s"], "90s", "expected at most CIRCUIT_BREAKER_INTERVAL (1m)"),
        (["CIRCUIT_BREAKER_INTERVAL": "60s"], "7s", "expected a duration that divides CIRCUIT_BREAKER_INTERVAL (1m) evenly"),
        (["CIRCUIT_BREAKER_INTERVAL": "1h"], "1ms", "expected at most 1000 buckets per CIRCUIT_BREAKER_INTERVAL (1h)"),
        (["CIRCUIT_BREAKER_INTERVAL": "60s"], "-1s", "expected 0 or more"),
        (["CIRCUIT_BREAKER_INTERVAL": "60s"], "10", "expected a duration such as 60s, 500ms, 2m or 1m30s"),
    ])
    func rejectsBucketPeriodsThatDoNotDivideTheInterval(environment: [String: String], value: String, expectation: String) {
        var environment = environment
        environment["CIRCUIT_BREAKER_BUCKET_PERIOD"] = value
        do {
            _ = try CircuitBreaker.Configuration.fromEnvironment(environment)
            Issue.record("CIRCUIT_BREAKER_BUCKET_PERIOD=\(value) was accepted")
        } catch {
            #expect(error.variable == "CIRCUIT_BREAKER_BUCKET_PERIOD")
            #expect(error.description.hasPrefix("CIRCUIT_BREAKER_BUCKET_PERIOD=\"\(value)\" is "))
            #expect(error.description.hasSuffix(": \(expectation)"))
        }
    }

    @Test(arguments: [
        ("60s", Duration.seconds(60)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)),
        ("1m30s", .seconds(90)), ("1.5s", .milliseconds(1500)), ("0", .zero), ("1h", .seconds(3600)), ("250us", .microseconds(250)),
    ])
    func parsesDurations(text: String, expected: Duration) throws {
        let configuration = try CircuitBreaker.Configuration.fromEnvironment(["CIRCUIT_BREAKER_INTERVAL": text])
        #expect(configuration.interval == expected)
    }

    @Test(arguments: [
        ("CIRCUIT_BREAKER_MAX_REQUESTS", "five"), ("CIRCUIT_BREAKER_MAX_REQUESTS", "0"), ("CIRCUIT_BREAKER_MAX_REQUESTS", "-3"),
        ("CIRCUIT_BREAKER_INTERVAL", "60"), ("CIRCUIT_BREAKER_INTERVAL", "soon"), ("CIRCUIT_BREAKER_TIMEOUT", "0s"),
        ("CIRCUIT_BREAKER_TIMEOUT", "10x"), ("CIRCUIT_BREAKER_FAILURE_THRESHOLD", "0"), ("CIRCUIT_BREAKER_FAILURE_THRESHOLD", ""),
    ])
    func rejectsInvalidValuesNamingTheVariable(variable: String, value: String) {
        do {
            _ = try CircuitBreaker.Configuration.fromEnvironment([variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.variable == variable)
            #expect(error.value == value)
            #expect(error.description.contains(variable))
        }
    }

    /// Values the old parser refused as "not a duration" or accepted up to an `Int64` overflow.
    @Test(arguments: [
        ("CIRCUIT_BREAKER_TIMEOUT", "99999999999h", "expected at most 876600h (100 years)"),
        ("CIRCUIT_BREAKER_TIMEOUT", "100000000000s", "expected at most 876600h (100 years)"),
        ("CIRCUIT_BREAKER_TIMEOUT", "2000000h", "expected at most 876600h (100 years)"),
        ("CIRCUIT_BREAKER_TIMEOUT", "inf", "expected a finite number"),
        ("CIRCUIT_BREAKER_INTERVAL", "-1s", "expected 0 or more"),
        ("CIRCUIT_BREAKER_INTERVAL", "nan", "expected a finite number"),
        ("CIRCUIT_BREAKER_MAX_REQUESTS", "99999999999", "expected a whole number from 1 to 4294967295"),
        ("CIRCUIT_BREAKER_FAILURE_THRESHOLD", "99999999999999999999", "expected a whole number from 1 to 4294967295"),
    ])
    func trapsAreNamedErrors(variable: String, value: String, expectation: String) {
        #expect(throws: ConfigurationError.self) { try CircuitBreaker.Configuration.fromEnvironment([variable: value]) }
        do {
            _ = try CircuitBreaker.Configuration.fromEnvironment([variable: value])
        } catch {
            #expect(error.description.hasPrefix("\(variable)=\"\(value)\" is "))
            #expect(error.description.hasSuffix(": \(expectation)"))
        }
    }
}
