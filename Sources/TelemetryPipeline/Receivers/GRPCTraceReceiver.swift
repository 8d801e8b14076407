import GRPCCore
import GRPCProtobuf
import OTLPGRPC
import TelemetryCore

/// The OTLP/gRPC receiver: `opentelemetry.proto.collector.trace.v1.TraceService/Export`,
/// served by a `GRPCListener`.
///
/// Answers follow the OTLP specification's "OTLP/gRPC Response": `OK`, with `partial_success`
/// when some spans were unusable; `INVALID_ARGUMENT` for bytes that do not decode (not
/// retryable); `UNAVAILABLE` with a `google.rpc.RetryInfo` detail when the memory limiter or
/// a full queue refuses (retryable after the delay). Request bytes skip SwiftProtobuf's
/// message objects: the method is registered with raw-bytes coders and decoded by the same
/// decoder as OTLP/HTTP protobuf bodies.
package struct GRPCTraceReceiver: RegistrableRPCService {
    let id: ComponentID
    /// `max_recv_msg_size_mib` in bytes, after decompression.
    let maxMessageBytes: Int
    let decode: TraceDecoders.Decode
    let intake: SpanIntake

    package init(id: ComponentID, maxMessageBytes: Int, decode: @escaping TraceDecoders.Decode, intake: SpanIntake) {
        self.id = id
        self.maxMessageBytes = maxMessageBytes
        self.decode = decode
        self.intake = intake
    }

    /// What the transport must read so that messages just over the limit get `RESOURCE_EXHAUSTED`
    /// from the receiver rather than the transport's stream reset (see `GRPCListener`).
    var transportMessageBytes: Int { maxMessageBytes.multipliedReportingOverflow(by: 2).partialValue }

    package func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: OTLPGRPC.traceExport, deserializer: RawBytesDeserializer(), serializer: RawBytesSerializer()
        ) { request, _ in
            do {
                let response = try await export(request)
                intake.metrics.grpcRequests.add(1, ["\(id)", "OK"])
                return StreamingServerResponse(single: ServerResponse(message: response))
            } catch {
                intake.metrics.grpcRequests.add(1, ["\(id)", Self.statusName(of: error)])
                throw error
            }
        }
    }

    /// The response bytes for one call, or the status that refuses it.
    func export(_ request: StreamingServerRequest<[UInt8]>) async throws -> [UInt8] {
        // Refuse before waiting for the message, as the HTTP receiver does before reading a body.
        if let retryAfter = intake.admissionRetryAfter() {
            throw OTLPGRPC.throttled("memory limit reached; retry later", retryAfter: .seconds(retryAfter))
        }
        let bytes = try await ServerRequest(stream: request).message
        guard bytes.count <= maxMessageBytes else {
            throw RPCError(
                code: .resourceExhausted, message: "message of \(bytes.count) bytes exceeds the limit of \(maxMessageBytes) bytes")
        }
        let decoded: DecodedTraces
        do {
            decoded = try decode(bytes)
        } catch {
            throw RPCError(code: .invalidArgument, message: "cannot decode ExportTraceServiceRequest: \(error)")
        }
        if decoded.rejected > 0 { intake.metrics.refused.add(Double(decoded.rejected), ["\(id)", "invalid_span"]) }
        // The same bytes as an OTLP/HTTP protobuf body: a journal replays them as such.
        switch await intake.deliver(decoded.spans, record: .init(format: PipelineDurability.RecordFormat.otlpProtobuf, body: bytes)) {
        case .refused(let retryAfter, let reason):
            throw OTLPGRPC.throttled(reason, retryAfter: .seconds(retryAfter))
        case .accepted:
            return OTLPResponses.exportResponse(rejected: decoded.rejected, message: decoded.message)
        }
    }

    /// The status code's name as gRPC spells it (`INVALID_ARGUMENT`), a bounded label value.
    static func statusName(of error: any Error) -> String {
        let code: RPCError.Code =
            switch error {
            case let error as RPCError: error.code
            case let error as any RPCErrorConvertible: error.rpcErrorCode
            default: .unknown
            }
        var name = ""
        for character in code.description {
            if character.isUppercase { name.append("_") }
            name.append(contentsOf: character.uppercased())
        }
        return name
    }
}
