import Testing

@testable import TelemetryCore

@Suite struct TelemetryEnvironmentTests {
    @Test func emptyEnvironmentUsesDefaults() throws {
        let environment = try TelemetryEnvironment([:])
        #expect(environment.isEnabled)
        #expect(environment.sampler == nil)
        #expect(environment.serviceName == nil)
        #expect(environment.resourceAttributes.isEmpty)
        #expect(environment.batchMaxQueueSize == nil)
    }

    @Test func seedVariables() throws {
        let environment = try TelemetryEnvironment([
            "TRACING_ENABLED": "true", "TRACING_SAMPLER": "0.1", "TRACING_ENDPOINT": "http://jaeger:14268/api/traces",
        ])
        #expect(environment.isEnabled)
        #expect(environment.sampler == .parentBasedTraceIDRatio(0.1))
        #expect(environment.tracingEndpoint == "http://jaeger:14268/api/traces")
        #expect(try TelemetryEnvironment(["TRACING_ENABLED": "false"]).isEnabled == false)
        #expect(try TelemetryEnvironment(["OTEL_SDK_DISABLED": "true"]).isEnabled == false)
    }

    @Test(
        arguments: [
            ("always_on", nil, SamplerConfiguration.alwaysOn),
            ("always_off", nil, .alwaysOff),
            ("traceidratio", "0.25", .traceIDRatio(0.25)),
            ("traceidratio", nil, .traceIDRatio(1)),
            ("parentbased_always_on", nil, .parentBasedAlwaysOn),
            ("parentbased_always_off", "0.3", .parentBasedAlwaysOff),
            ("parentbased_traceidratio", "0.5", .parentBasedTraceIDRatio(0.5)),
        ] as [(String, String?, SamplerConfiguration)])
    func otelSampler(name: String, argument: String?, expected: SamplerConfiguration) throws {
        var variables = ["OTEL_TRACES_SAMPLER": name, "TRACING_SAMPLER": "0.9"]
        variables["OTEL_TRACES_SAMPLER_ARG"] = argument
        #expect(try TelemetryEnvironment(variables).sampler == expected)
    }

    @Test(arguments: [
        ("TRACING_SAMPLER", "abc"), ("TRACING_SAMPLER", "1.5"), ("TRACING_SAMPLER", "-0.1"), ("TRACING_SAMPLER", "nan"),
        ("TRACING_ENABLED", "maybe"), ("OTEL_SDK_DISABLED", "2"),
        ("OTEL_TRACES_SAMPLER", "jaeger_remote"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "lots"), ("OTEL_BSP_MAX_QUEUE_SIZE", "0"), ("OTEL_BSP_SCHEDULE_DELAY", "-5"),
        ("OTEL_BSP_EXPORT_TIMEOUT", "soon"), ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "x"),
        ("OTEL_RESOURCE_ATTRIBUTES", "novalue"), ("OTEL_RESOURCE_ATTRIBUTES", "k=%zz"),
    ])
    func malformedValueIsAnErrorNamingTheVariable(variable: String, value: String) {
        var variables = [variable: value]
        if variable == "OTEL_TRACES_SAMPLER_ARG" { variables["OTEL_TRACES_SAMPLER"] = "traceidratio" }
        #expect {
            try TelemetryEnvironment(variables)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.variable == variable && error.value == value && error.description.contains(variable)
        }
    }

    /// Each of these trapped later (`.allocate(capacity:)` of the span queue, `Int64` nanosecond
    /// deadlines) or was read as something else; now each is refused, naming its variable.
    @Test(arguments: [
        ("OTEL_BSP_SCHEDULE_DELAY", "9223372036854775807", "is out of range: expected at most 876600h (100 years)"),
        ("OTEL_BSP_SCHEDULE_DELAY", "1e300", "is out of range: expected at most 876600h (100 years)"),
        ("OTEL_BSP_SCHEDULE_DELAY", "-1", "is out of range: expected 0 or more"),
        ("OTEL_BSP_EXPORT_TIMEOUT", "inf", "is malformed: expected a finite number"),
        ("OTEL_BSP_EXPORT_TIMEOUT", "0", "is out of range: expected more than 0"),
        ("OTEL_BSP_EXPORT_TIMEOUT", "100000000000s", "is out of range: expected at most 876600h (100 years)"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "9223372036854775807", "is out of range: expected at most 10000000"),
        ("OTEL_BSP_MAX_QUEUE_SIZE", "99999999999999999999", "is out of range: expected at most 10000000"),
        ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "-1", "is out of range: expected more than 0"),
        ("TRACING_SAMPLER", "1e400", "is malformed: expected a number between 0 and 1, such as 0.1"),
        ("TRACING_SAMPLER", "inf", "is malformed: expected a number between 0 and 1, such as 0.1"),
    ])
    func trapsAreNamedErrors(variable: String, value: String, problem: String) {
        #expect(throws: (any Error).self) { try TelemetryEnvironment([variable: value]) }
        do {
            _ = try TelemetryEnvironment([variable: value])
        } catch {
            #expect(error.description == "\(variable)=\"\(value)\" \(problem)")
        }
    }

    @Test func batchDurationsTakeMillisecondsOrAUnit() throws {
        let environment = try TelemetryEnvironment(["OTEL_BSP_SCHEDULE_DELAY": "1.5", "OTEL_BSP_EXPORT_TIMEOUT": "30s"])
        #expect(environment.batchScheduleDelay == .microseconds(1500))
        #expect(environment.batchExportTimeout == .seconds(30))
    }

    @Test func samplerArgumentIsValidated() {
        #expect(throws: ConfigurationError.self) {
            try TelemetryEnvironment(["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "abc"])
        }
        do {
            _ = try TelemetryEnvironment(["OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "2"])
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "OTEL_TRACES_SAMPLER_ARG")
            #expect(error.description == "OTEL_TRACES_SAMPLER_ARG=\"2\" is out of range: expected a number between 0 and 1, such as 0.1")
        }
    }

    @Test func batchVariables() throws {
        let environment = try TelemetryEnvironment([
            "OTEL_BSP_MAX_QUEUE_SIZE": "100", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "10",
            "OTEL_BSP_SCHEDULE_DELAY": "250", "OTEL_BSP_EXPORT_TIMEOUT": "1000",
        ])
        #expect(environment.batchMaxQueueSize == 100)
        #expect(environment.batchMaxExportBatchSize == 10)
        #expect(environment.batchScheduleDelay == .milliseconds(250))
        #expect(environment.batchExportTimeout == .seconds(1))
        #expect(throws: ConfigurationError.self) {
            try TelemetryEnvironment(["OTEL_BSP_MAX_QUEUE_SIZE": "10", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "20"])
        }
    }

    @Test func resourceFromEnvironment() throws {
        let environment = try TelemetryEnvironment([
            "OTEL_SERVICE_NAME": "checkout",
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=ignored, deployment.environment=prod,team=a%2Cb",
        ])
        let resource = TelemetryResource(serviceName: "from-code", serviceVersion: "1.2.3", environment: environment)
        #expect(resource.serviceName == "checkout")
        #expect(resource.serviceVersion == "1.2.3")
        #expect(resource.attributes["deployment.environment"] == "prod")
        #expect(resource.attributes["team"] == "a,b")
        #expect(resource.attributes["telemetry.sdk.language"] == "swift")
        #expect(resource.attributes["telemetry.sdk.name"] == .string(TelemetryResource.sdkName))
        #expect(TelemetryResource(serviceName: nil).serviceName == "unknown_service:swift")
    }

    @Test func percentEncodingRoundTrips() {
        for text in ["plain", "a,b;c=d", "100%", "ünïcode space"] {
            #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
        }
        #expect(PercentEncoding.encode("a b") == "a%20b")
        #expect(PercentEncoding.decode("%4") == nil)
    }
}
