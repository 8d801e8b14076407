import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import OTLPExporter
import OTLPProtobufReference
import SwiftProtobuf
import Synchronization
import TelemetryCore

@testable import OTLPGRPC

/// A TraceService on a real grpc-swift server on loopback: decodes each request with
/// SwiftProtobuf (the generated message types), keeps its spans and metadata, and answers the
/// first calls with scripted errors.
final class TestTraceService: Opentelemetry_Proto_Collector_Trace_V1_TraceService.ServiceProtocol {
    struct Call: Sendable {
        var spans: [TelemetrySpanData]
        var metadata: Metadata
    }

    private struct State {
        var failures: [RPCError]
        var calls = 0
        var accepted: [Call] = []
    }

    private let state: Mutex<State>
    private let partialSuccess: (rejected: Int64, message: String)?

    /// - Parameters:
    ///   - failures: errors thrown by the first calls, in order; later calls succeed.
    ///   - partialSuccess: a partial-success part for every accepted answer.
    init(failures: [RPCError] = [], partialSuccess: (rejected: Int64, message: String)? = nil) {
        state = Mutex(State(failures: failures))
        self.partialSuccess = partialSuccess
    }

    /// Every call that reached the service, failed ones included.
    var calls: Int { state.withLock { $0.calls } }
    /// The calls that were answered OK.
    var accepted: [Call] { state.withLock { $0.accepted } }

    func export(
        request: ServerRequest<Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse> {
        let failure: RPCError? = state.withLock { state in
            state.calls += 1
            return state.failures.isEmpty ? nil : state.failures.removeFirst()
        }
        if let failure { throw failure }
        // SwiftProtobuf parsed the message; re-serialized, our decoder turns it into `TelemetrySpanData` to compare.
        let bytes: [UInt8] = try request.message.serializedBytes()
        let spans = try OTLPTraceDecoder.decode(protobuf: bytes).spans
        state.withLock { $0.accepted.append(Call(spans: spans, metadata: request.metadata)) }
        var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
        if let partialSuccess {
            response.partialSuccess.rejectedSpans = partialSuccess.rejected
            response.partialSuccess.errorMessage = partialSuccess.message
        }
        return ServerResponse(message: response)
    }
}

/// Runs `service` on a loopback port for the duration of `body`, then stops the server.
func withTestServer<Value: Sendable>(
    _ service: TestTraceService, _ body: (_ port: Int) async throws -> Value
) async throws -> Value {
    let transport = HTTP2ServerTransport.Posix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext,
        config: .defaults { $0.compression.enabledAlgorithms = .all })
    let server = GRPCServer(transport: transport, services: [service])
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        guard let port = try await transport.listeningAddress.ipv4?.port else {
            throw RPCError(code: .internalError, message: "the test server has no IPv4 address")
        }
        return try await body(port)
    }
}
