import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import OTLPGRPC
import Synchronization

/// Replays pre-encoded `ExportTraceServiceRequest` messages to an OTLP/gRPC receiver as fast
/// as it answers, for the ingest benchmark (Benchmarks/pipeline-ingest.sh, `PROTOCOL=grpc`).
///
/// Each client is one HTTP/2 connection carrying `--streams` concurrent unary calls; the
/// messages are sent as they are, so the client spends its CPU on framing only. Prints one
/// line, `requests=N refused=M`, as the HTTP replay client does.
@main
struct GRPCLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry-grpc-load", abstract: "Replays OTLP/gRPC trace exports against a receiver.")

    @Option(help: "Receiver address, host:port (an IPv4 address).")
    var target: String = "127.0.0.1:4317"

    @Option(help: "Directory of body-N.pb files, each a serialized ExportTraceServiceRequest.")
    var bodies: String

    @Option(help: "How long to send, in seconds.")
    var seconds: Double = 10

    @Option(help: "Connections, each a client of its own.")
    var clients: Int = 2

    @Option(help: "Concurrent calls per connection.")
    var streams: Int = 8

    @Flag(help: "Compress requests with gzip.")
    var gzip = false

    mutating func validate() throws {
        guard clients > 0, streams > 0, seconds > 0 else { throw ValidationError("clients, streams and seconds must be positive") }
        guard target.split(separator: ":").count == 2, Int(target.split(separator: ":")[1]) != nil else {
            throw ValidationError("target must be host:port")
        }
    }

    func run() async throws {
        let directory = URL(fileURLWithPath: bodies)
        let names = try FileManager.default.contentsOfDirectory(atPath: bodies).filter { $0.hasPrefix("body-") }.sorted()
        let messages = try names.map { try [UInt8](Data(contentsOf: directory.appendingPathComponent($0))) }
        guard !messages.isEmpty else { throw ValidationError("no body-N.pb files in \(bodies)") }
        let parts = target.split(separator: ":")
        let host = String(parts[0]), port = Int(parts[1])!
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let counts = Tally()
        var options = CallOptions.defaults
        options.timeout = .seconds(30)
        options.compression = gzip ? .gzip : CompressionAlgorithm.none
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask { [streams, options] in
                    let transport = try HTTP2ClientTransport.Posix(
                        target: .ipv4(address: host, port: port), transportSecurity: .plaintext,
                        config: .defaults { $0.compression.enabledAlgorithms = .all })
                    try await withGRPCClient(transport: transport) { client in
                        await withTaskGroup(of: Void.self) { calls in
                            for stream in 0..<streams {
                                calls.addTask {
                                    var index = stream
                                    while ContinuousClock.now < deadline {
                                        let ok = await Self.send(messages[index % messages.count], client: client, options: options)
                                        counts.value.withLock {
                                            $0.sent += 1; if !ok { $0.refused += 1 }
                                        }
                                        index += streams
                                    }
                                }
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let (sent, refused) = counts.value.withLock { ($0.sent, $0.refused) }
        print("requests=\(sent) refused=\(refused)")
    }

    /// One export; `false` when the receiver answered with an error status.
    static func send(_ message: [UInt8], client: GRPCClient<HTTP2ClientTransport.Posix>, options: CallOptions) async -> Bool {
        do {
            _ = try await client.unary(
                request: ClientRequest(message: message), descriptor: OTLPGRPC.traceExport, serializer: RawBytesSerializer(),
                deserializer: RawBytesDeserializer(), options: options
            ) { response in try response.message }
            return true
        } catch {
            return false
        }
    }
}

/// Calls sent and refused, shared by every stream.
final class Tally: Sendable {
    let value = Mutex((sent: 0, refused: 0))
}
