import GRPCCore
import GRPCNIOTransportHTTP2
import OTLPGRPC
import Synchronization
import TelemetryCore

@testable import TelemetryPipeline

/// A `GRPCTraceReceiver` behind a real `GRPCListener` on a loopback port, its pipeline's queue
/// left undrained so tests can count what arrived, and a real grpc-swift client connected to it.
struct GRPCReceiverHarness {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let runner: PipelineRunner
    let registry: MetricRegistry
    /// What the memory limiter measures.
    let limiterInput: LimiterInput

    /// Runs `body` against a receiver whose queue holds `queueCapacity` spans and whose limiter
    /// refuses from 80 MiB resident; stops server and client afterwards.
    static func with(
        queueCapacity: Int = 10_000, maxMessageBytes: Int = OTLPGRPC.defaultMaxReceiveMessageBytes,
        _ body: @Sendable (GRPCReceiverHarness) async throws -> Void
    ) async throws {
        let registry = MetricRegistry()
        let metrics = SelfMetrics(registry: registry)
        let runner = PipelineRunner(
            name: "traces", capacity: queueCapacity, stages: [], exporters: [], clock: WallClock.system, metrics: metrics)
        let input = LimiterInput()
        let limiter = MemoryLimiter(
            configuration: .init(checkInterval: .seconds(3), limitMiB: 100),
            residentBytes: { input.residentBytes.withLock { $0 } }, clock: { input.now.withLock { $0 } })
        let intake = SpanIntake(receiver: "otlp", pipelines: [runner], limiters: [limiter], metrics: metrics)
        let receiver = GRPCTraceReceiver(
            id: ComponentID("otlp"), maxMessageBytes: maxMessageBytes, decode: TraceDecoders.standard.otlpProtobuf!, intake: intake)
        let (bound, boundContinuation) = AsyncStream<TelemetryPipeline.Endpoint>.makeStream()
        let listener = GRPCListener(
            endpoint: TelemetryPipeline.Endpoint(host: "127.0.0.1", port: 0), services: [receiver], maxMessageBytes: receiver.transportMessageBytes,
            onBound: { boundContinuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends the wait below should the listener fail to start.
                defer { boundContinuation.finish() }
                try await listener.run()
            }
            var iterator = bound.makeAsyncIterator()
            guard let endpoint = await iterator.next() else {
                try await group.next()
                throw HarnessError.listenerDidNotStart
            }
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: "127.0.0.1", port: endpoint.port), transportSecurity: .plaintext,
                config: .defaults { $0.compression.enabledAlgorithms = .all })
            try await withGRPCClient(transport: transport) { client in
                try await body(GRPCReceiverHarness(client: client, runner: runner, registry: registry, limiterInput: input))
            }
            group.cancelAll()
        }
    }

    final class LimiterInput: Sendable {
        /// Resident memory, in bytes.
        let residentBytes = Mutex(0)
        /// The limiter's clock, in nanoseconds; moving it past the check interval makes it measure again.
        let now = Mutex<UInt64>(1)
    }

    enum HarnessError: Error { case listenerDidNotStart }

    /// Calls `TraceService/Export` (or `method`) with `bytes` as the request message, returning the response bytes.
    func export(
        _ bytes: [UInt8], method: MethodDescriptor = OTLPGRPC.traceExport, compression: CompressionAlgorithm? = nil
    ) async throws -> [UInt8] {
        var options = CallOptions.defaults
        options.compression = compression
        options.timeout = .seconds(20)
        return try await client.unary(
            request: ClientRequest(message: bytes), descriptor: method, serializer: RawBytesSerializer(),
            deserializer: RawBytesDeserializer(), options: options
        ) { response in try response.message }
    }

    /// The `RPCError` `export` fails with; records an issue when it succeeds instead.
    func exportError(
        _ bytes: [UInt8], method: MethodDescriptor = OTLPGRPC.traceExport, compression: CompressionAlgorithm? = nil
    ) async -> RPCError? {
        do {
            _ = try await export(bytes, method: method, compression: compression)
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            return RPCError(code: .unknown, message: "\(error)")
        }
    }

    var queued: Int { runner.queue.count }
}
