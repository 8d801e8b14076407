import TelemetryCore
import TelemetryHTTPExport
import Testing

@testable import JaegerExporter

@Suite struct JaegerSpanExporterConfigurationTests {
    @Test func timeoutTakesMillisecondsOrAUnit() throws {
        #expect(try JaegerSpanExporter.Configuration(environment: ["OTEL_EXPORTER_JAEGER_TIMEOUT": "1500"]).timeout == .milliseconds(1500))
        #expect(try JaegerSpanExporter.Configuration(environment: ["OTEL_EXPORTER_JAEGER_TIMEOUT": "2s"]).timeout == .seconds(2))
    }

    /// A huge timeout trapped on the first export, converting the deadline to `Int64` nanoseconds.
    @Test(arguments: [
        ("9223372036854775807", "out of range: expected at most 876600h (100 years)"), ("inf", "malformed: expected a finite number"),
        ("0", "out of range: expected more than 0"), ("soon", "malformed: expected a positive number of milliseconds"),
    ])
    func trapsAreNamedErrors(value: String, expectation: String) {
        #expect {
            try JaegerSpanExporter.Configuration(environment: ["OTEL_EXPORTER_JAEGER_TIMEOUT": value])
        } throws: { error in
            (error as? ConfigurationError)?.description == "OTEL_EXPORTER_JAEGER_TIMEOUT=\"\(value)\" is \(expectation)"
        }
    }
}
