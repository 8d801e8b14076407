import OTLPGRPC
import Testing

@testable import TelemetryPipeline

/// The `loadbalancing` exporter's keys, defaults and refusals.
@Suite("loadbalancing exporter configuration")
struct LoadBalancingConfigurationTests {
    /// A pipeline whose only exporter is `loadbalancing`, configured by `body` from line 4 on.
    static func pipeline(_ body: String) -> String {
        """
        receivers: {otlp: {}}
        exporters:
          loadbalancing:
            \(body.split(separator: "\n").joined(separator: "\n    "))
        service: {pipelines: {traces: {receivers: [otlp], exporters: [loadbalancing]}}}
        """
    }

    static func settings(_ body: String) throws -> LoadBalancingSettings? {
        let configuration = try PipelineConfiguration.parse(yaml: pipeline(body), file: "lb.yaml")
        guard case .loadBalancing(let settings) = configuration.exporters[ComponentID("loadbalancing")] else { return nil }
        return settings
    }

    static func error(_ body: String) -> PipelineConfigurationError? {
        #expect(throws: PipelineConfigurationError.self) { try settings(body) }
    }

    @Test func staticResolverAndDefaults() throws {
        let settings = try #require(
            try Self.settings(
                """
                protocol:
                  otlp:
                    timeout: 2s
                    tls: {insecure: true}
                resolver:
                  static:
                    hostnames: [backend-1:4317, backend-2, "[::1]:5317"]
                """))
        #expect(settings.routingKey == .traceID)
        #expect(settings.resolver == .fixed(hostnames: ["backend-1:4317", "backend-2:4317", "[::1]:5317"]))
        guard case .otlp(let grpc) = settings.backendProtocol else { Issue.record("expected otlp"); return }
        #expect(grpc.timeout == .seconds(2))
        #expect(try settings.exporterSettings(for: "backend-2:4317") == .otlpGRPC(with(grpc) { $0.endpoint = .init(host: "backend-2", port: 4317) }))
    }

    @Test func dnsResolverOverHTTP() throws {
        let settings = try #require(
            try Self.settings(
                """
                routing_key: service
                protocol: {otlphttp: {encoding: json}}
                resolver: {dns: {hostname: pipelines.observability.svc.cluster.local, interval: 2s}}
                """))
        #expect(settings.routingKey == .service)
        #expect(settings.resolver == .dns(hostname: "pipelines.observability.svc.cluster.local", port: 4318, interval: .seconds(2), timeout: .seconds(1)))
        guard case .otlphttp(let http) = try settings.exporterSettings(for: "10.0.0.7:4318") else { Issue.record("expected otlphttp"); return }
        #expect(http.endpoint == "http://10.0.0.7:4318")
        #expect(http.encoding == "json")
    }

    @Test func refusalsNameTheLineAndKey() {
        let unknownKey = Self.error("routing_key: spanID\nprotocol: {otlp: {}}\nresolver: {static: {hostnames: [a:1]}}")
        #expect(unknownKey?.line == 4)
        #expect("\(unknownKey!)".contains("routing_key"))

        let endpoint = Self.error("protocol:\n  otlp:\n    endpoint: a:4317\nresolver: {static: {hostnames: [a:1]}}")
        #expect(endpoint?.line == 6)
        #expect("\(endpoint!)".contains("resolver sets"))

        let noQueue = Self.error("protocol:\n  otlp:\n    sending_queue: {enabled: false}\nresolver: {static: {hostnames: [a:1]}}")
        #expect("\(noQueue!)".contains("sending_queue must stay enabled"))

        let twoResolvers = Self.error("protocol: {otlp: {}}\nresolver:\n  static: {hostnames: [a:1]}\n  dns: {hostname: b}")
        #expect(twoResolvers?.line == 6)

        let duplicate = Self.error("protocol: {otlp: {}}\nresolver: {static: {hostnames: [a:4317, a]}}")
        #expect("\(duplicate!)".contains("listed twice"))

        let hostWithPort = Self.error("protocol: {otlp: {}}\nresolver: {dns: {hostname: 'b:4317'}}")
        #expect("\(hostWithPort!)".contains("without port"))

        let missing = Self.error("resolver: {static: {hostnames: [a:1]}}")
        #expect("\(missing!)".contains("protocol"))
    }
}

private func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}
