import GRPCCore
import GRPCProtobuf

/// What the OTLP specification's "OTLP/gRPC" section fixes for both ends of an export:
/// the method, the default port and message size, and which statuses mean "try again".
package enum OTLPGRPC {
    /// `opentelemetry.proto.collector.trace.v1.TraceService/Export`, the only trace method.
    package static let traceExport = MethodDescriptor(
        service: ServiceDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService"), method: "Export")

    /// The port OTLP/gRPC servers listen on unless configured otherwise.
    package static let defaultPort = 4317

    /// The largest message a gRPC server accepts by default (4 MiB), as the collector's
    /// `max_recv_msg_size_mib: 4`.
    package static let defaultMaxReceiveMessageBytes = 4 * 1024 * 1024

    /// The status a server returns when it cannot take data now (memory limit, full queue):
    /// `UNAVAILABLE` with a `google.rpc.RetryInfo` detail, which the transport sends as a
    /// serialized `google.rpc.Status` in the `grpc-status-details-bin` trailer.
    package static func throttled(_ message: String, retryAfter delay: Duration) -> GoogleRPCStatus {
        GoogleRPCStatus(code: .unavailable, message: message, details: .retryInfo(delay: delay))
    }

    /// The delay a server asked for in a `google.rpc.RetryInfo` detail; `nil` when the error
    /// carries none or its details do not decode.
    package static func retryDelay(of error: RPCError) -> Duration? {
        guard let status = try? error.unpackGoogleRPCStatus() else { return nil }
        return status.details.lazy.compactMap(\.retryInfo).first?.delay
    }

    /// Whether a client may send the same data again after `code`: the specification's
    /// table, where `RESOURCE_EXHAUSTED` is retryable only when the server sent `RetryInfo`.
    package static func isRetryable(_ code: RPCError.Code, hasRetryInfo: Bool) -> Bool {
        switch code {
        case .cancelled, .deadlineExceeded, .aborted, .outOfRange, .unavailable, .dataLoss: true
        case .resourceExhausted: hasRetryInfo
        default: false
        }
    }
}
