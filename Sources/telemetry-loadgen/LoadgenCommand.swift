import ArgumentParser
import ServiceLifecycle
import TelemetryCore
import TelemetryExporters
import TelemetryHTTPExport
import TelemetryTracing
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Produces traces through the SDK, configured by the same environment a service uses.
@main
struct LoadgenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telemetry-loadgen",
        abstract: "Generate traces through the telemetry SDK and export them as configured by the environment.",
        discussion: """
            The exporter comes from OTEL_TRACES_EXPORTER or TRACING_ENDPOINT (/api/traces: Jaeger, \
            /v1/traces: OTLP); OTEL_EXPORTER_OTLP_* and TRACING_SAMPLER apply as in any service. \
            Every trace is delivered: the SDK's batch processors run in blocking mode, so the \
            generator waits for room in their queues rather than dropping spans, and --rate \
            reports the rate it achieved when the exporter could not keep up. Ends with one JSON \
            line: traces, spans, spans per service, error spans, sampled traces, achieved rate.
            """
    )

    @Option(help: "Number of traces to generate (ignored with --rate).")
    var traces: Int = 100

    @Option(help: "Traces per second; with --duration, replaces --traces.")
    var rate: String?

    @Option(help: "How long to generate for, with --rate: seconds, or a duration such as 90s or 2m.")
    var duration = "10"

    @Option(help: "Comma-separated service names forming the call chain.")
    var services: String = "frontend,checkout,inventory"

    @Option(help: "Share of traces whose last service fails, 0...1.")
    var errorRatio = "0"

    @Option(help: "Seed for the workload's random choices and IDs.")
    var seed: UInt64 = 1

    func validate() throws {
        _ = try schedule()
        guard !serviceNames.isEmpty else { throw ValidationError("--services needs at least one name") }
    }

    func schedule() throws(ValidationError) -> LoadgenSchedule {
        try LoadgenSchedule(traces: traces, rate: rate, duration: duration, errorRatio: errorRatio)
    }

    private var serviceNames: [String] {
        services.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let plan = try schedule()
        let variables = ProcessEnvironment.all()
        var environment = try TelemetryEnvironment(lookup: { variables[$0] })
        // Each simulated service names itself; a global OTEL_SERVICE_NAME would merge them.
        environment.serviceName = nil
        let (kind, exporter) = try EnvironmentSpanExporter.make(environment: variables)

        var tracers: [TelemetryTracer] = []
        var processors: [any SpanProcessor] = []
        for (index, name) in serviceNames.enumerated() {
            let components = try TelemetryBootstrap.makeComponents(
                configuration: .init(
                    serviceName: name,
                    batch: BatchSpanProcessor.Configuration(blocking: true),
                    idGenerator: RandomIDGenerator(seed: seed &+ UInt64(index) &* 0x9E37)
                ),
                environment: environment
            ) { _ in exporter }
            guard let tracer = components.tracer, let processor = components.processor else {
                print(Summary(services: serviceNames).jsonLine(exporter: "disabled", droppedByProcessor: 0, seconds: 0, achievedRate: 0))
                return
            }
            tracers.append(tracer)
            processors.append(processor)
        }

        var workload = Workload(services: serviceNames, tracers: tracers, errorRatio: plan.errorRatio, seed: seed)
        let batchProcessors = processors.compactMap { $0 as? BatchSpanProcessor }
        // Waits, rather than drops, when a queue is full: `span.end()` cannot wait itself.
        func waitForRoom() async {
            for processor in batchProcessors { await processor.waitForRoom(for: Workload.maximumSpansPerServiceAndTrace) }
        }
        let clock = ContinuousClock()
        let started = clock.now
        var generated = started
        try await withThrowingTaskGroup(of: Void.self) { group in
            for processor in processors {
                group.addTask { try await processor.run() }
            }
            if let rate = plan.paced?.rate {
                let total = plan.pacedTraceCount
                let interval = Duration.seconds(1 / rate)
                for index in 0..<total {
                    await waitForRoom()
                    workload.runTrace(index: index)
                    // Behind schedule (the exporter is slower than the rate), this returns at once.
                    try await clock.sleep(until: started + interval * (index + 1))
                }
            } else {
                for index in 0..<traces {
                    await waitForRoom()
                    workload.runTrace(index: index)
                    if index % 64 == 63 { await Task.yield() }
                }
            }
            generated = clock.now
            for processor in processors { try await processor.forceFlush() }
            group.cancelAll()
            try? await group.waitForAll()
        }
        await exporter.shutdown()
        let dropped = processors.compactMap { $0 as? BatchSpanProcessor }.reduce(0) { $0 + $1.droppedSpanCount }
        let seconds = Self.seconds(started.duration(to: clock.now))
        let generating = Self.seconds(started.duration(to: generated))
        let achievedRate = generating > 0 ? Double(workload.summary.traces) / generating : 0
        if let requested = plan.paced?.rate, achievedRate < requested * 0.95 {
            printToStandardError(
                "telemetry-loadgen: achieved \(Self.rounded(achievedRate)) traces/s of the \(Self.rounded(requested)) asked; "
                    + "the exporter could not keep up, so generation waited for room in the span queues"
            )
        }
        print(
            workload.summary.jsonLine(exporter: kind.rawValue, droppedByProcessor: dropped, seconds: seconds, achievedRate: achievedRate)
        )
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

private func printToStandardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static func all() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var result = Substring(self)
        while result.first == set { result = result.dropFirst() }
        while result.last == set { result = result.dropLast() }
        return String(result)
    }
}
