import TelemetryCore
import TelemetryHTTPExport
import Testing

@testable import OTLPExporter

@Suite struct OTLPHTTPSpanExporterConfigurationTests {
    @Test func defaults() throws {
        let configuration = try OTLPHTTPSpanExporter.Configuration(environment: [:])
        #expect(configuration.endpoint == "http://localhost:4318/v1/traces")
        #expect(configuration.format == .protobuf)
        #expect(configuration.compression == .none)
        #expect(configuration.timeout == .seconds(10))
    }

    @Test func standardVariables() throws {
        let configuration = try OTLPHTTPSpanExporter.Configuration(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=a%20b, tenant = t1",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
        ])
        #expect(configuration.endpoint == "http://collector:4318/v1/traces")
        #expect(configuration.format == .json)
        #expect(configuration.headers.map(\.name) == ["api-key", "tenant"])
        #expect(configuration.headers.map(\.value) == ["a b", "t1"])
        #expect(configuration.compression == .gzip)
        #expect(configuration.timeout == .milliseconds(2500))
    }

    @Test func tracesSpecificVariablesWin() throws {
        let configuration = try OTLPHTTPSpanExporter.Configuration(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://base:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces:9999/custom",
            "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf",
        ])
        #expect(configuration.endpoint == "http://traces:9999/custom")
        #expect(configuration.format == .protobuf)
    }

    @Test func tracingEndpointIsUsedAsIs() throws {
        let configuration = try OTLPHTTPSpanExporter.Configuration(environment: ["TRACING_ENDPOINT": "http://c:4318/v1/traces"])
        #expect(configuration.endpoint == "http://c:4318/v1/traces")
    }

    @Test func malformedValuesNameTheirVariable() {
        let cases: [(String, String)] = [
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), ("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "soon"), ("OTEL_EXPORTER_OTLP_HEADERS", "novalue"),
        ]
        for (variable, value) in cases {
            do {
                _ = try OTLPHTTPSpanExporter.Configuration(environment: [variable: value])
                Issue.record("\(variable)=\(value) was accepted")
            } catch {
                #expect(error.variable == variable)
                #expect(error.description.contains(variable))
            }
        }
    }

    /// A huge timeout trapped on the first export, converting the deadline to `Int64` nanoseconds.
    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "9223372036854775807", "out of range: expected at most 876600h (100 years)"),
        ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "inf", "malformed: expected a finite number"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "0", "out of range: expected more than 0"),
        ("OTEL_EXPORTER_OTLP_TIMEOUT", "-5", "out of range: expected more than 0"),
    ])
    func trapsAreNamedErrors(variable: String, value: String, expectation: String) {
        #expect {
            try OTLPHTTPSpanExporter.Configuration(environment: [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.description == "\(variable)=\"\(value)\" is \(expectation)"
        }
    }

    @Test func timeoutTakesMillisecondsOrAUnit() throws {
        #expect(try OTLPHTTPSpanExporter.Configuration(environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": "2500"]).timeout == .milliseconds(2500))
        #expect(try OTLPHTTPSpanExporter.Configuration(environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": "3s"]).timeout == .seconds(3))
    }
}
