import Foundation
import Testing

@testable import TelemetryPipeline

@Suite("OTLP/gRPC receiver configuration")
struct GRPCReceiverConfigurationTests {
    static func yaml(receivers: String) -> String {
        """
        receivers:
        \(receivers)
        exporters:
          debug: {}
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [debug]}
        """
    }

    @Test("protocols.grpc enables gRPC alone, with the 4317 and 4 MiB defaults")
    func grpcAlone() throws {
        let configuration = try PipelineConfiguration.parse(yaml: Self.yaml(receivers: "  otlp: {protocols: {grpc: {}}}"), file: "g.yaml")
        #expect(configuration.receivers[ComponentID("otlp")] == .otlp(http: nil, grpc: GRPCReceiverSettings()))
        #expect(GRPCReceiverSettings().endpoint == Endpoint(host: "0.0.0.0", port: 4317))
        #expect(GRPCReceiverSettings().maxReceiveMessageSizeMiB == 4)
    }

    @Test("http and grpc together keep both, with their own settings")
    func both() throws {
        let receivers = """
              otlp:
                protocols:
                  http: {endpoint: "127.0.0.1:5318"}
                  grpc: {endpoint: "127.0.0.1:5317", max_recv_msg_size_mib: 16}
            """
        let configuration = try PipelineConfiguration.parse(yaml: Self.yaml(receivers: receivers), file: "g.yaml")
        #expect(
            configuration.receivers[ComponentID("otlp")]
                == .otlp(
                    http: HTTPReceiverSettings(endpoint: Endpoint(host: "127.0.0.1", port: 5318)),
                    grpc: GRPCReceiverSettings(endpoint: Endpoint(host: "127.0.0.1", port: 5317), maxReceiveMessageSizeMiB: 16)))
    }

    @Test("a misspelt gRPC key names file, line and key with a suggestion")
    func misspeltKey() {
        let receivers = """
              otlp:
                protocols:
                  grpc:
                    max_recv_msg_size: 8
            """
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(yaml: Self.yaml(receivers: receivers), file: "typo.yaml")
        }
        #expect(error?.file == "typo.yaml")
        #expect(error?.line == 5)
        #expect(error?.reason.contains("unknown key 'max_recv_msg_size'") == true)
        #expect(error?.reason.contains("did you mean 'max_recv_msg_size_mib'?") == true)
    }

    @Test("a host name the gRPC transport cannot bind, or a size out of range, is refused with its key")
    func badValues() {
        let hostName = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(
                yaml: Self.yaml(receivers: "  otlp: {protocols: {grpc: {endpoint: \"collector.example:4317\"}}}"), file: "h.yaml")
        }
        #expect(hostName?.keyPath == "receivers.otlp.protocols.grpc.endpoint")
        #expect(hostName?.reason.contains("IP address") == true)
        let size = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(
                yaml: Self.yaml(receivers: "  otlp: {protocols: {grpc: {max_recv_msg_size_mib: 0}}}"), file: "s.yaml")
        }
        #expect(size?.keyPath == "receivers.otlp.protocols.grpc.max_recv_msg_size_mib")
        let localhost = try? PipelineConfiguration.parse(
            yaml: Self.yaml(receivers: "  otlp: {protocols: {grpc: {endpoint: \"localhost:4317\"}}}"), file: "l.yaml")
        #expect(localhost != nil)
    }

    @Test("HTTP and gRPC on one port is caught before start")
    func portClash() {
        let error = #expect(throws: PipelineConfigurationError.self) {
            try PipelineConfiguration.parse(
                yaml: Self.yaml(receivers: "  otlp: {protocols: {http: {endpoint: \"0.0.0.0:4317\"}, grpc: {}}}"), file: "p.yaml")
        }
        #expect(error?.reason.contains("port 4317 is also used by") == true)
    }

    @Test("the shipped default pipeline receives OTLP/gRPC on 4317")
    func defaultPipeline() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("pipelines/default.yaml").path
        let configuration = try PipelineConfiguration.load(path: path, environment: [:])
        guard case .otlp(let http, let grpc) = configuration.receivers[ComponentID("otlp")] else {
            Issue.record("otlp receiver missing")
            return
        }
        #expect(http?.endpoint.port == 4318)
        #expect(grpc?.endpoint == Endpoint(host: "0.0.0.0", port: 4317))
    }
}
