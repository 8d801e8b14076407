import TelemetryCore
import TelemetryTracing
import Tracing

/// Generates traces through a call chain of services, each with its own tracer and resource.
struct Workload {
    let services: [String]
    let tracers: [TelemetryTracer]
    let errorRatio: Double
    var random: SplitMix64
    var summary: Summary

    /// Spans one trace ends in one service: a server span, and a client span unless it is the last.
    static let maximumSpansPerServiceAndTrace = 2

    init(services: [String], tracers: [TelemetryTracer], errorRatio: Double, seed: UInt64) {
        self.services = services
        self.tracers = tracers
        self.errorRatio = errorRatio
        self.random = SplitMix64(seed: seed)
        self.summary = Summary(services: services)
    }

    /// One request entering the first service and travelling down the chain; when it
    /// fails, the last service's span records the error.
    mutating func runTrace(index: Int) {
        let fails = Double(random.next() >> 11) / Double(1 << 53) < errorRatio
        let status = fails ? [500, 503, 504][Int(random.next() % 3)] : 200
        var sampled = false
        handle(depth: 0, headers: [:], index: index, failing: fails, status: status, sampled: &sampled)
        summary.traces += 1
        if sampled { summary.sampledTraces += 1 }
    }

    private mutating func handle(depth: Int, headers: [String: String], index: Int, failing: Bool, status: Int, sampled: inout Bool) {
        let tracer = tracers[depth]
        let service = services[depth]
        var context = ServiceContext.topLevel
        tracer.extract(headers, into: &context, using: DictionaryExtractor())
        let server = tracer.startSpan("GET /\(service)", context: context, ofKind: .server)
        if depth == 0 { sampled = server.context.spanContext?.isSampled ?? false }
        server.attributes["http.request.method"] = "GET"
        server.attributes["url.path"] = "/\(service)"
        server.attributes["loadgen.trace_index"] = index
        server.attributes["loadgen.depth"] = depth
        server.attributes["loadgen.ratio"] = 0.5
        server.attributes["loadgen.retried"] = false
        server.attributes["loadgen.tags"] = SpanAttribute.stringArray(["synthetic", service])
        summary.count(service: service)
        let isLast = depth == services.count - 1
        if !isLast {
            let next = services[depth + 1]
            let client = tracer.startSpan("call \(next)", context: server.context, ofKind: .client)
            client.attributes["peer.service"] = next
            summary.count(service: service)
            var outgoing: [String: String] = [:]
            tracer.inject(client.context, into: &outgoing, using: DictionaryInjector())
            handle(depth: depth + 1, headers: outgoing, index: index, failing: failing, status: status, sampled: &sampled)
            client.attributes["http.response.status_code"] = status
            if failing {
                // Every failure is a 5xx, which the HTTP semantic conventions make an error on
                // the client span and on each server span it propagates back through.
                client.setStatus(Tracing.SpanStatus(code: .error, message: "HTTP \(status)"))
                server.setStatus(Tracing.SpanStatus(code: .error, message: "HTTP \(status)"))
                summary.errorSpans += 2
            }
            client.end()
        } else {
            server.addEvent(Tracing.SpanEvent(name: "work.done", attributes: ["items": 3]))
            if failing {
                server.addEvent(
                    Tracing.SpanEvent(
                        name: "exception",
                        attributes: [
                            "exception.type": "UpstreamError", "exception.message": "simulated failure \(status)",
                        ]))
                server.setStatus(Tracing.SpanStatus(code: .error, message: "simulated failure \(status)"))
                summary.errorSpans += 1
            }
        }
        server.attributes["http.response.status_code"] = status
        server.end()
    }
}

/// What the run generated, printed as one JSON line.
struct Summary {
    var traces = 0
    var sampledTraces = 0
    var errorSpans = 0
    var spansPerService: [String: Int]
    let order: [String]

    init(services: [String]) {
        order = services
        spansPerService = Dictionary(uniqueKeysWithValues: services.map { ($0, 0) })
    }

    mutating func count(service: String) {
        spansPerService[service, default: 0] += 1
    }

    /// `achievedRate`: traces per second while generating (the flush at the end excluded).
    func jsonLine(exporter: String, droppedByProcessor: Int, seconds: Double, achievedRate: Double) -> String {
        let spans = spansPerService.values.reduce(0, +)
        let perService = order.map { JSONText.quoted($0) + ":" + String(spansPerService[$0] ?? 0) }.joined(separator: ",")
        return "{\"traces\":\(traces),\"spans\":\(spans),\"spans_per_service\":{\(perService)},\"error_spans\":\(errorSpans),"
            + "\"sampled_traces\":\(sampledTraces),\"exporter\":\"\(exporter)\",\"dropped_by_processor\":\(droppedByProcessor),"
            + "\"seconds\":\(seconds),\"achieved_rate\":\(achievedRate)}"
    }
}
