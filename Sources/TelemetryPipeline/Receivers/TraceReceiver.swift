import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TelemetryCore

/// The OTLP/HTTP (`/v1/traces`), Jaeger thrift HTTP (`/api/traces`) and Zipkin v2
/// (`/api/v2/spans`) receivers.
///
/// Every failure is answered on its own request (400 undecodable, 413 too large, 415
/// unknown content type or encoding, 503 with `Retry-After` when refused) and never touches
/// other requests or the pipeline.
package struct TraceReceiver: Sendable {
    package enum Format: Sendable {
        case otlp
        case jaeger
        case zipkin

        package var path: String {
            switch self {
            case .otlp: "/v1/traces"
            case .jaeger: "/api/traces"
            case .zipkin: "/api/v2/spans"
            }
        }

        var name: String {
            switch self {
            case .otlp: "OTLP"
            case .jaeger: "Jaeger thrift"
            case .zipkin: "Zipkin"
            }
        }
    }

    /// How the body is encoded, which decides how answers are written: OTLP's as OTLP
    /// messages, Jaeger's and Zipkin's as plain text, as their collectors answer.
    enum Encoding { case protobuf, json, thrift, zipkin }

    let id: ComponentID
    let format: Format
    let maxBodySize: Int
    let decoders: TraceDecoders
    let intake: SpanIntake

    package init(id: ComponentID, format: Format, maxBodySize: Int, decoders: TraceDecoders, intake: SpanIntake) {
        self.id = id
        self.format = format
        self.maxBodySize = maxBodySize
        self.decoders = decoders
        self.intake = intake
    }

    /// Registers the receiver's route.
    package func register(on router: Router<BasicRequestContext>) {
        router.post(RouterPath(stringLiteral: format.path)) { request, _ -> Response in
            let response = await handle(request)
            intake.metrics.requests.add(1, ["\(id)", "\(response.status.code)"])
            return response
        }
    }

    func handle(_ request: Request) async -> Response {
        var request = request
        let mediaType =
            (request.headers[.contentType] ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        let encoding: Encoding
        let decode: TraceDecoders.Decode?
        switch (format, mediaType) {
        case (.otlp, "application/x-protobuf"), (.otlp, "application/protobuf"):
            (encoding, decode) = (.protobuf, decoders.otlpProtobuf)
        case (.otlp, "application/json"):
            (encoding, decode) = (.json, decoders.otlpJSON)
        case (.jaeger, "application/x-thrift"), (.jaeger, "application/vnd.apache.thrift.binary"):
            (encoding, decode) = (.thrift, decoders.jaegerThrift)
        case (.zipkin, "application/json"):
            (encoding, decode) = (.zipkin, decoders.zipkinJSON)
        case (.zipkin, "application/x-protobuf"), (.zipkin, "application/protobuf"):
            (encoding, decode) = (.zipkin, decoders.zipkinProtobuf)
        default:
            let accepted =
                switch format {
                case .otlp: "application/x-protobuf or application/json"
                case .jaeger: "application/x-thrift or application/vnd.apache.thrift.binary"
                case .zipkin: "application/json or application/x-protobuf"
                }
            return refuse(
                .unsupportedMediaType, "unsupported content type '\(mediaType)'; use \(accepted)", format == .zipkin ? .zipkin : .json)
        }
        guard let decode else {
            return refuse(.unsupportedMediaType, "content type '\(mediaType)' is not supported by this build", encoding)
        }
        let contentEncoding = (request.headers[.contentEncoding] ?? "identity").trimmingCharacters(in: .whitespaces).lowercased()
        guard ["identity", "", "gzip"].contains(contentEncoding) else {
            return refuse(.unsupportedMediaType, "unsupported content encoding '\(contentEncoding)'", encoding)
        }
        if contentEncoding == "gzip", decoders.gunzip == nil {
            return refuse(.unsupportedMediaType, "gzip content encoding is not supported by this build", encoding)
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
            return refuse(.contentTooLarge, "body of \(length) bytes exceeds the limit of \(maxBodySize)", encoding)
        }
        if let retryAfter = intake.admissionRetryAfter() {
            return refuse(.serviceUnavailable, "memory limit reached; retry later", encoding, retryAfter: retryAfter)
        }
        var bytes: [UInt8]
        do {
            let buffer = try await request.collectBody(upTo: maxBodySize)
            bytes = Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            return refuse(.contentTooLarge, "body exceeds the limit of \(maxBodySize) bytes", encoding)
        } catch {
            return refuse(.badRequest, "could not read the body: \(error)", encoding)
        }
        if contentEncoding == "gzip", let gunzip = decoders.gunzip {
            do {
                bytes = try gunzip(bytes, maxBodySize)
            } catch {
                return refuse(.badRequest, "invalid gzip body: \(error)", encoding)
            }
        }
        let decoded: DecodedTraces
        do {
            decoded = try decode(bytes)
        } catch {
            return refuse(.badRequest, "cannot decode \(format.name) body: \(error)", encoding)
        }
        if decoded.rejected > 0 { intake.metrics.refused.add(Double(decoded.rejected), ["\(id)", "invalid_span"]) }
        let recordFormat =
            switch encoding {
            case .protobuf: PipelineDurability.RecordFormat.otlpProtobuf
            case .json: PipelineDurability.RecordFormat.otlpJSON
            case .thrift: PipelineDurability.RecordFormat.jaegerThrift
            case .zipkin:
                mediaType == "application/json" ? PipelineDurability.RecordFormat.zipkinJSON : PipelineDurability.RecordFormat.zipkinProtobuf
            }
        switch await intake.deliver(decoded.spans, record: .init(format: recordFormat, body: bytes)) {
        case .refused(let retryAfter, let reason):
            return refuse(.serviceUnavailable, reason, encoding, retryAfter: retryAfter)
        case .accepted:
            return success(encoding, rejected: decoded.rejected, message: decoded.message)
        }
    }

    private func success(_ encoding: Encoding, rejected: Int, message: String?) -> Response {
        switch encoding {
        case .thrift, .zipkin:
            return Response(status: .accepted)
        case .protobuf:
            return Response(
                status: .ok, headers: [.contentType: "application/x-protobuf"],
                body: .init(byteBuffer: ByteBuffer(bytes: OTLPResponses.exportResponse(rejected: rejected, message: message))))
        case .json:
            var text = "{}"
            if rejected > 0 {
                text =
                    "{\"partialSuccess\":{\"rejectedSpans\":\"\(rejected)\",\"errorMessage\":"
                    + JSONText.quoted(message ?? "\(rejected) spans rejected") + "}}"
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    private func refuse(_ status: HTTPResponse.Status, _ reason: String, _ encoding: Encoding, retryAfter: Int? = nil) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body: ByteBuffer
        switch encoding {
        case .protobuf:
            headers[.contentType] = "application/x-protobuf"
            body = ByteBuffer(bytes: OTLPResponses.status(code: Int(status.code), message: reason))
        case .json:
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: "{\"code\":\(status.code),\"message\":" + JSONText.quoted(reason) + "}")
        case .thrift, .zipkin:
            headers[.contentType] = "text/plain; charset=utf-8"
            body = ByteBuffer(string: reason + "\n")
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
