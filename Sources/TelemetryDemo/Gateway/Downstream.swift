import AsyncHTTPClient
import CircuitBreakers
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import TelemetryHTTPServer

/// A service the gateway (or auth-service) calls: traced by the instrumented client, guarded
/// by a circuit breaker, bounded by a timeout.
///
/// A 5xx answer, a timeout or a transport error counts as a breaker failure; 4xx answers are
/// the downstream working correctly and pass through as they are.
final class Downstream: Sendable {
    struct Reply: Sendable {
        var status: Int
        var contentType: String?
        var body: ByteBuffer

        var response: Response {
            var headers = HTTPFields()
            if let contentType { headers[.contentType] = contentType }
            return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: body))
        }
    }

    /// A 5xx answer, thrown inside the breaker so it counts as a failure.
    private struct FailedReply: Error {
        var reply: Reply
    }

    let name: String
    let address: ServiceAddress
    let breaker: CircuitBreaker
    let client: InstrumentedHTTPClient
    let timeout: Duration
    let stats = DownstreamStats()
    private let elapsed: @Sendable () -> Duration

    init(name: String, address: ServiceAddress, breaker: CircuitBreaker, client: InstrumentedHTTPClient, timeout: Duration) {
        self.name = name
        self.address = address
        self.breaker = breaker
        self.client = client
        self.timeout = timeout
        let clock = ContinuousClock()
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    /// Sends a request and returns the downstream's answer, or throws a ``DemoError``:
    /// `circuit_breaker` when the breaker rejects, `timeout` past the deadline,
    /// `service_unavailable` when unreachable, the downstream's own 5xx otherwise.
    func call(
        _ method: HTTPRequest.Method,
        path: String,
        template: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil
    ) async throws -> Reply {
        let started = elapsed()
        var failed = true
        defer { stats.record(latency: elapsed() - started, failed: failed) }
        do {
            let reply = try await breaker.execute {
                var request = HTTPClientRequest(url: address.baseURL + path)
                request.method = HTTPMethod(rawValue: method.rawValue)
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                if let body { request.body = .bytes(body) }
                let response = try await client.execute(request, template: template, timeout: .nanoseconds(timeout.nanoseconds))
                let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
                let reply = Reply(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: bytes)
                if reply.status >= 500 { throw FailedReply(reply: reply) }
                return reply
            }
            failed = false
            return reply
        } catch let failure as FailedReply {
            throw DemoError.upstream(name, status: failure.reply.status, body: String(buffer: failure.reply.body))
        } catch let rejection as CircuitBreakerRejectedError {
            throw DemoError.circuitOpen(name, rejection.description)
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout
        {
            throw DemoError.timeout("\(name) did not answer within \(timeout)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DemoError.unavailable("\(name) is unreachable: \(error)")
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + attoseconds / 1_000_000_000
    }
}
