import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (port 0) that answers with a scripted sequence of
/// responses and records every request it receives.
final class LoopbackHTTPServer: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    struct Received: Sendable {
        var uri: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    final class State: Sendable {
        let mutex: Mutex<(replies: [Reply], fallback: Reply, received: [Received])>

        init(replies: [Reply], fallback: Reply) {
            mutex = Mutex((replies: replies, fallback: fallback, received: []))
        }

        func withLock<T>(_ body: (inout (replies: [Reply], fallback: Reply, received: [Received])) -> T) -> T {
            mutex.withLock { body(&$0) }
        }
    }

    private let state: State
    private let channel: any Channel
    let port: Int

    /// Starts a server answering `replies` in order, then `fallback` for every later request.
    init(replies: [Reply], fallback: Reply = Reply(status: 200)) async throws {
        let state = State(replies: replies, fallback: fallback)
        self.state = state
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress!.port!
    }

    var url: String { "http://127.0.0.1:\(port)/v1/traces" }

    var received: [Received] { state.withLock { $0.received } }

    func stop() async throws {
        try await channel.close()
    }

    /// Runs `body` with a server answering `replies`, then `fallback`, and stops the server
    /// when `body` returns or throws.
    static func serving<Value>(
        replies: [Reply], fallback: Reply = Reply(status: 200), _ body: (LoopbackHTTPServer) async throws -> Value
    ) async throws -> Value {
        let server = try await LoopbackHTTPServer(replies: replies, fallback: fallback)
        let value: Value
        do {
            value = try await body(server)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
        return value
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: State
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(state: State) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let reply = state.withLock { state -> Reply in
                    state.received.append(Received(uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body))
                    return state.replies.isEmpty ? state.fallback : state.replies.removeFirst()
                }
                var headers = HTTPHeaders(reply.headers)
                headers.add(name: "Content-Length", value: String(reply.body.count))
                let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status), headers: headers)
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
