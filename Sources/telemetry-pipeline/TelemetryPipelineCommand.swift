import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TelemetryPipeline
import UnixSignals

@main
struct TelemetryPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry-pipeline",
        abstract: "Receives traces, derives RED metrics, error rates and service health, and exports them.",
        version: PipelineDaemon.version)

    @Option(name: .long, help: "Pipeline configuration file (Collector-shaped YAML).")
    var config = "pipelines/default.yaml"

    @Flag(name: .long, help: "Check the configuration and exit.")
    var validate = false

    func run() async throws {
        let configuration: PipelineConfiguration
        do {
            configuration = try PipelineConfiguration.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("telemetry-pipeline: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if validate {
            print("\(config): configuration is valid")
            return
        }
        var logger = Logger(label: "telemetry-pipeline")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let daemon: PipelineDaemon
        do {
            daemon = try PipelineDaemon(configuration: configuration, logger: logger) { name, address in
                FileHandle.standardOutput.write(Data("\(name) listening on \(address)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("telemetry-pipeline: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let group = ServiceGroup(
            configuration: .init(services: daemon.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        print("telemetry-pipeline: stopped after draining every pipeline")
    }
}
