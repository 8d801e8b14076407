import GRPCCore
import GRPCProtobuf
import TelemetryCore
import TelemetryHTTPExport
import Testing

@testable import OTLPGRPC

/// `OTEL_EXPORTER_OTLP_*` for the gRPC exporter, and the protocol choice.
@Suite struct OTLPGRPCSpanExporterConfigurationTests {
    @Test func protocolValues() throws {
        #expect(try OTLPProtocol.fromEnvironment([:]) == .httpProtobuf)
        #expect(try OTLPProtocol.fromEnvironment(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) == .grpc)
        #expect(try OTLPProtocol.fromEnvironment(["OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"]) == .httpJSON)
        #expect(try OTLPProtocol.fromEnvironment(["OTEL_EXPORTER_OTLP_PROTOCOL": " GRPC "]) == .grpc)
        let tracesWins = ["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"]
        #expect(try OTLPProtocol.fromEnvironment(tracesWins) == .httpProtobuf)
    }

    @Test func aBadProtocolNamesItsVariable() {
        #expect(
            throws: ConfigurationError.malformed(
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http", expected: "grpc, http/protobuf or http/json")
        ) {
            try OTLPProtocol.fromEnvironment(["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http"])
        }
    }

    @Test func defaultsFollowTheSpecification() throws {
        let configuration = try OTLPGRPCSpanExporter.Configuration(environment: [:])
        #expect(configuration.endpoint == OTLPGRPCEndpoint(host: "localhost", port: 4317))
        #expect(configuration.compression == .none)
        #expect(configuration.timeout == .seconds(10))
        #expect(configuration.headers.isEmpty)
    }

    @Test func endpointsAreUsedAsTheyAre() throws {
        let base = try OTLPGRPCSpanExporter.Configuration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4999"])
        #expect(base.endpoint == OTLPGRPCEndpoint(host: "collector", port: 4999))
        let traces = try OTLPGRPCSpanExporter.Configuration(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4999", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://[::1]:5000/",
        ])
        #expect(traces.endpoint == OTLPGRPCEndpoint(host: "::1", port: 5000))
        // TRACING_ENDPOINT names an OTLP/HTTP or Jaeger URL, never the gRPC one.
        let seed = try OTLPGRPCSpanExporter.Configuration(environment: ["TRACING_ENDPOINT": "http://jaeger:14268/api/traces"])
        #expect(seed.endpoint == .default)
        #expect(try OTLPGRPCEndpoint(parsing: "127.0.0.1") == OTLPGRPCEndpoint(host: "127.0.0.1", port: 4317))
    }

    @Test(arguments: [
        ("https://collector:4317", "TLS is not supported"),
        ("http://collector:4317/v1/traces", "no path"),
        ("http://collector:99999", "1...65535"),
        ("http://:4317", "host is empty"),
        ("grpc://collector:4317", "expected http://host:port"),
        ("::1:4317", "brackets"),
        ("http://[zzz]:4317", "not an IPv6 address"),
        ("[1:2:3]", "not an IPv6 address"),
    ])
    func badEndpointsNameTheVariable(value: String, reason: String) {
        do {
            _ = try OTLPGRPCSpanExporter.Configuration(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": value])
            Issue.record("\(value) was accepted")
        } catch {
            #expect(error.variable == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            #expect(error.description.contains(value))
            #expect(error.description.contains(reason))
        }
    }

    @Test(arguments: [
        (OTLPGRPCEndpoint(host: "127.0.0.1", port: 0), Duration.seconds(1)),
        (OTLPGRPCEndpoint(host: "127.0.0.1", port: 70_000), .seconds(1)),
        (OTLPGRPCEndpoint(host: "not:an:address", port: 4317), .seconds(1)),
        (OTLPGRPCEndpoint(host: "", port: 4317), .seconds(1)),
        (OTLPGRPCEndpoint(host: "127.0.0.1", port: 4317), .zero),
    ])
    func anUnusableConfigurationIsAnErrorNotATrap(endpoint: OTLPGRPCEndpoint, timeout: Duration) {
        let configuration = OTLPGRPCSpanExporter.Configuration(endpoint: endpoint, timeout: timeout)
        #expect(throws: OTLPGRPCEndpoint.Invalid.self) { _ = try OTLPGRPCSpanExporter(configuration: configuration) }
    }

    @Test func headersCompressionAndTimeout() throws {
        let configuration = try OTLPGRPCSpanExporter.Configuration(environment: [
            "OTEL_EXPORTER_OTLP_HEADERS": "X-Api-Key=a%20b,tenant=t1",
            "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
        ])
        #expect(configuration.headers.map(\.name) == ["x-api-key", "tenant"])
        #expect(configuration.headers.map(\.value) == ["a b", "t1"])
        #expect(configuration.compression == .gzip)
        #expect(configuration.timeout == .milliseconds(2500))
    }

    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli"),
        ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "soon"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "novalue"),
        ("OTEL_EXPORTER_OTLP_INSECURE", "false"),
        ("OTEL_EXPORTER_OTLP_TRACES_INSECURE", "maybe"),
    ])
    func badValuesNameTheVariable(variable: String, value: String) {
        #expect(throws: ConfigurationError.self) {
            try OTLPGRPCSpanExporter.Configuration(environment: [variable: value])
        }
        do {
            _ = try OTLPGRPCSpanExporter.Configuration(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
            #expect(error.description.hasPrefix("\(variable)=\"\(value)\" is malformed"))
        }
    }

    @Test func statusesAreClassifiedAsTheSpecificationSays() {
        let retryable: [RPCError.Code] = [.unavailable, .deadlineExceeded, .aborted, .outOfRange, .dataLoss, .cancelled]
        for code in retryable {
            #expect(ExportAttemptOutcome.classifying(RPCError(code: code, message: "x")) == .retryable(after: nil, reason: "\(code): x"))
        }
        let permanent: [RPCError.Code] = [.invalidArgument, .resourceExhausted, .permissionDenied, .unauthenticated, .internalError, .unknown]
        for code in permanent {
            #expect(ExportAttemptOutcome.classifying(RPCError(code: code, message: "x")) == .permanent(reason: "\(code): x"))
        }
        let throttled = RPCError(GoogleRPCStatus(code: .resourceExhausted, message: "x", details: [.retryInfo(delay: .seconds(4))]))
        #expect(ExportAttemptOutcome.classifying(throttled) == .retryable(after: .seconds(4), reason: "resourceExhausted: x"))
        let tooLong = RPCError(GoogleRPCStatus(code: .unavailable, message: "x", details: [.retryInfo(delay: .seconds(90_000))]))
        #expect(ExportAttemptOutcome.classifying(tooLong) == .retryable(after: .seconds(3600), reason: "unavailable: x"))
    }
}
