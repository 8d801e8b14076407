import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TelemetryCore
import Testing

@testable import telemetry_tracecontext_service

/// One `POST /test` to the service, as the W3C harness sends it, and everything it caused.
struct ServiceExchange {
    /// The service's answer to `POST /test`.
    var status: HTTPResponse.Status
    /// The requests the service made to the echo server, in arrival order.
    var callbacks: [ReceivedCallback]
    /// The spans the service's tracer ended (sampled or not).
    var spans: [TelemetrySpanData]

    /// Runs the service, with the executable's tracer configuration, and an echo server on
    /// loopback ports; sends `headers` (in order, repeats kept) and the body `makeBody` builds
    /// from the echo server's base URL (`http://127.0.0.1:PORT/callback`).
    static func run(
        headers: [(name: String, value: String)],
        callbackTimeout: TimeAmount = .seconds(10),
        body makeBody: @Sendable (_ echoBase: String) -> String
    ) async throws -> ServiceExchange {
        let collector = SpanCollector()
        let service = TraceContextTestService(
            tracer: TraceContextServiceCommand.makeTracer(processor: collector),
            callbackTimeout: callbackTimeout
        )
        let recorder = CallbackRecorder()
        let status: HTTPResponse.Status
        do {
            status = try await Application(router: recorder.makeRouter()).test(.live) { echo in
                let body = makeBody("http://127.0.0.1:\(try #require(echo.port))/callback")
                return try await Application(router: service.makeRouter()).test(.live) { client in
                    var fields = HTTPFields()
                    fields[.contentType] = "application/json"
                    for header in headers {
                        fields.append(HTTPField(name: try #require(HTTPField.Name(header.name)), value: header.value))
                    }
                    let response = try await client.execute(
                        uri: TraceContextTestService.path,
                        method: .post,
                        headers: fields,
                        body: ByteBuffer(string: body)
                    )
                    return response.status
                }
            }
        } catch {
            try await service.shutdown()
            throw error
        }
        try await service.shutdown()
        return ServiceExchange(status: status, callbacks: recorder.callbacks, spans: collector.spans)
    }
}
