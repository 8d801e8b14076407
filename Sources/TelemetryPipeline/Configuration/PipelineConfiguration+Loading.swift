import Foundation
import Yams

extension PipelineConfiguration {
    static let receiverTypes = ["otlp", "jaeger", "zipkin"]
    static let processorTypes = [
        "memory_limiter", "batch", "probabilistic_sampler", "tail_sampling", "attributes", "spanmetrics", "errors",
        "health", "circuit_breakers",
    ]
    static let exporterTypes = [
        "debug", "file", "prometheus", "jaeger", "otlphttp", "otlp", "tracestore", "loadbalancing", "prometheusremotewrite",
    ]

    /// Reads and validates a configuration file; `environment` resolves `${env:NAME}`.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PipelineConfigurationError) -> PipelineConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: "\(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path, environment: environment)
    }

    /// Parses and validates configuration text; `file` names it in errors.
    public static func parse(
        yaml: String, file: String, environment: [String: String] = [:]
    ) throws(PipelineConfigurationError) -> PipelineConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw .syntax(file: file, line: Self.line(of: error), reason: Self.problem(of: error))
        } catch {
            throw .syntax(file: file, line: nil, reason: "\(error)")
        }
        guard let root else { throw .missingKey("service", in: "", file: file, line: 1) }
        let top = ConfigNode(node: root, path: "", file: file, environment: environment)
        let sections = try top.entries(allowing: ["receivers", "processors", "exporters", "service", "extensions", "connectors"])

        var receivers: [ComponentID: ReceiverSettings] = [:]
        for (key, node) in try sections["receivers"]?.entries() ?? [] {
            let id = ComponentID(key)
            guard receiverTypes.contains(id.type) else {
                throw .unknownComponent(kind: "receiver type", id: id.type, in: "receivers", file: file, line: node.line, known: receiverTypes)
            }
            receivers[id] = try parseReceiver(id, node)
        }
        var processors: [ComponentID: ProcessorSettings] = [:]
        for (key, node) in try sections["processors"]?.entries() ?? [] {
            let id = ComponentID(key)
            guard processorTypes.contains(id.type) else {
                throw .unknownComponent(kind: "processor type", id: id.type, in: "processors", file: file, line: node.line, known: processorTypes)
            }
            processors[id] = try parseProcessor(id, node)
        }
        let storages = try parseExtensions(sections["extensions"], service: sections["service"])
        var exporters: [ComponentID: ExporterSettings] = [:]
        for (key, node) in try sections["exporters"]?.entries() ?? [] {
            let id = ComponentID(key)
            guard exporterTypes.contains(id.type) else {
                throw .unknownComponent(kind: "exporter type", id: id.type, in: "exporters", file: file, line: node.line, known: exporterTypes)
            }
            exporters[id] = try parseExporter(id, node, enabledExtensions: Set(storages.keys))
        }

        guard let service = sections["service"] else { throw .missingKey("service", in: "", file: file, line: root.mark?.line) }
        let serviceSections = try service.entries(allowing: ["pipelines", "monitoring", "telemetry", "extensions"])
        guard let pipelinesNode = serviceSections["pipelines"] else {
            throw .missingKey("pipelines", in: "service", file: file, line: service.line)
        }
        var pipelines: [PipelineSettings] = []
        for (name, node) in try pipelinesNode.entries() {
            guard ComponentID(name).type == "traces" else {
                throw .invalidValue(
                    at: node.path, file: file, line: node.line,
                    reason: "only traces pipelines are supported (name them traces or traces/NAME)")
            }
            let parts = try node.entries(allowing: ["receivers", "processors", "exporters"])
            func references(_ key: String, kind: String, known: [ComponentID]) throws(PipelineConfigurationError) -> [ComponentID] {
                guard let list = parts[key] else { throw .missingKey(key, in: node.path, file: file, line: node.line) }
                var ids: [ComponentID] = []
                for element in try list.elements() {
                    let id = ComponentID(try element.string())
                    guard known.contains(id) else {
                        throw .unknownComponent(
                            kind: kind, id: id.description, in: list.path, file: file, line: element.line,
                            known: known.map(\.description))
                    }
                    ids.append(id)
                }
                return ids
            }
            let pipeline = PipelineSettings(
                name: name,
                receivers: try references("receivers", kind: "receiver", known: Array(receivers.keys)),
                processors: parts["processors"] == nil ? [] : try references("processors", kind: "processor", known: Array(processors.keys)),
                exporters: try references("exporters", kind: "exporter", known: Array(exporters.keys)))
            guard !pipeline.receivers.isEmpty else {
                throw .invalidValue(at: "\(node.path).receivers", file: file, line: node.line, reason: "a pipeline needs at least one receiver")
            }
            guard !pipeline.exporters.isEmpty else {
                throw .invalidValue(at: "\(node.path).exporters", file: file, line: node.line, reason: "a pipeline needs at least one exporter")
            }
            pipelines.append(pipeline)
        }
        guard !pipelines.isEmpty else {
            throw .invalidValue(at: "service.pipelines", file: file, line: pipelinesNode.line, reason: "define at least one traces pipeline")
        }

        var monitoring = MonitoringSettings()
        if let node = serviceSections["monitoring"] {
            let keys = try node.entries(allowing: ["endpoint", "name", "queue_size"])
            if let value = keys["endpoint"] { monitoring.endpoint = try value.endpoint() }
            if let value = keys["name"] { monitoring.name = try value.string() }
            if let value = keys["queue_size"] { monitoring.queueSize = try value.int(in: 1...100_000_000) }
        }
        let configuration = PipelineConfiguration(
            file: file, receivers: receivers, processors: processors, exporters: exporters, pipelines: pipelines,
            monitoring: monitoring, storages: storages)
        try configuration.checkPorts(root: top)
        return configuration
    }

    /// Two listeners on one fixed port would fail only at start; say so now.
    private func checkPorts(root: ConfigNode) throws(PipelineConfigurationError) {
        var seen: [Int: String] = [:]
        var listeners: [(String, Endpoint)] = [("service.monitoring.endpoint", monitoring.endpoint)]
        for (id, settings) in receivers.sorted(by: { $0.key < $1.key }) {
            switch settings {
            case .otlp(let http, let grpc):
                if let http { listeners.append(("receivers.\(id).protocols.http.endpoint", http.endpoint)) }
                if let grpc { listeners.append(("receivers.\(id).protocols.grpc.endpoint", grpc.endpoint)) }
            case .jaeger(let http), .zipkin(let http): listeners.append(("receivers.\(id)", http.endpoint))
            }
        }
        for (id, settings) in exporters.sorted(by: { $0.key < $1.key }) {
            if case .prometheus(let endpoint) = settings { listeners.append(("exporters.\(id).endpoint", endpoint)) }
        }
        for (name, endpoint) in listeners where endpoint.port != 0 {
            if let other = seen[endpoint.port] {
                throw .invalidValue(at: name, file: file, line: nil, reason: "port \(endpoint.port) is also used by \(other)")
            }
            seen[endpoint.port] = name
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}
