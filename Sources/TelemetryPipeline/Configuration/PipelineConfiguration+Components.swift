import TelemetryCore

extension PipelineConfiguration {
    static func parseReceiver(_ id: ComponentID, _ node: ConfigNode) throws(PipelineConfigurationError) -> ReceiverSettings {
        if id.type == "zipkin" { return .zipkin(try parseZipkinReceiver(node)) }
        let isOTLP = id.type == "otlp"
        let httpName = isOTLP ? "http" : "thrift_http"
        let supported = isOTLP ? ["http", "grpc"] : ["thrift_http"]
        let knownProtocols = isOTLP ? ["http", "grpc"] : ["thrift_http", "grpc", "thrift_compact", "thrift_binary"]
        var http: HTTPReceiverSettings? = HTTPReceiverSettings(endpoint: Endpoint(host: "0.0.0.0", port: isOTLP ? 4318 : 14268))
        var grpc: GRPCReceiverSettings?
        let top = try node.entries(allowing: ["protocols"])
        if let protocols = top["protocols"] {
            let entries = try protocols.entries(allowing: knownProtocols)
            for (name, value) in entries where !supported.contains(name) {
                throw .invalidValue(at: value.path, file: node.file, line: value.line, reason: "protocol \(name) is not supported; use \(httpName)")
            }
            // As in the Collector, listing protocols enables exactly those.
            if !entries.isEmpty, entries[httpName] == nil { http = nil }
            if let node = entries[httpName] {
                let keys = try node.entries(allowing: ["endpoint", "max_request_body_size"])
                if let value = keys["endpoint"] { http?.endpoint = try value.endpoint() }
                if let value = keys["max_request_body_size"] { http?.maxRequestBodySize = try value.int(in: 1...(1 << 30)) }
            }
            if let node = entries["grpc"] { grpc = try parseGRPCReceiver(node) }
        }
        guard isOTLP else { return .jaeger(http!) }
        return .otlp(http: http, grpc: grpc)
    }

    static func parseGRPCReceiver(_ node: ConfigNode) throws(PipelineConfigurationError) -> GRPCReceiverSettings {
        var settings = GRPCReceiverSettings()
        let keys = try node.entries(allowing: ["endpoint", "max_recv_msg_size_mib"])
        if let value = keys["endpoint"] {
            settings.endpoint = try value.endpoint()
            // The gRPC transport binds IP addresses only; a host name would fail only at start.
            guard GRPCListener.socketAddress(of: settings.endpoint) != nil else {
                throw value.invalid("expected an IP address or localhost as the host, got '\(settings.endpoint.host)'")
            }
        }
        if let value = keys["max_recv_msg_size_mib"] { settings.maxReceiveMessageSizeMiB = try value.int(in: 1...1024) }
        return settings
    }

    static func parseProcessor(_ id: ComponentID, _ node: ConfigNode) throws(PipelineConfigurationError) -> ProcessorSettings {
        switch id.type {
        case "memory_limiter":
            var configuration = MemoryLimiter.Configuration.default
            let keys = try node.entries(allowing: ["check_interval", "limit_mib", "spike_limit_mib"])
            if let value = keys["check_interval"] { configuration.checkInterval = try value.duration(minimum: .nanoseconds(1)) }
            if let value = keys["limit_mib"] { configuration.limitMiB = try value.int(in: 1...1_000_000) }
            if let value = keys["spike_limit_mib"] { configuration.spikeLimitMiB = try value.int(in: 0...1_000_000) }
            if let spike = configuration.spikeLimitMiB, spike >= configuration.limitMiB {
                throw .invalidValue(at: "\(node.path).spike_limit_mib", file: node.file, line: node.line, reason: "must be below limit_mib")
            }
            return .memoryLimiter(configuration)
        case "batch":
            var configuration = BatchProcessor.Configuration.default
            let keys = try node.entries(allowing: ["send_batch_size", "send_batch_max_size", "timeout"])
            if let value = keys["send_batch_size"] { configuration.sendBatchSize = try value.int(in: 1...10_000_000) }
            if let value = keys["send_batch_max_size"] { configuration.sendBatchMaxSize = try value.int(in: 0...10_000_000) }
            if let value = keys["timeout"] { configuration.timeout = try value.duration() }
            if configuration.sendBatchMaxSize > 0, configuration.sendBatchMaxSize < configuration.sendBatchSize {
                throw .invalidValue(
                    at: "\(node.path).send_batch_max_size", file: node.file, line: node.line,
                    reason: "must be 0 or at least send_batch_size")
            }
            return .batch(configuration)
        case "probabilistic_sampler":
            var configuration = ProbabilisticSampler.Configuration.default
            let keys = try node.entries(allowing: ["sampling_percentage"])
            if let value = keys["sampling_percentage"] { configuration.samplingPercentage = try value.double(in: 0...100) }
            return .probabilisticSampler(configuration)
        case "tail_sampling":
            return .tailSampling(try parseTailSampling(node))
        case "attributes":
            var configuration = AttributesProcessor.Configuration.default
            let keys = try node.entries(allowing: ["actions"])
            for element in try keys["actions"]?.elements() ?? [] {
                let fields = try element.entries(allowing: ["key", "action", "value"])
                guard let key = fields["key"] else { throw .missingKey("key", in: element.path, file: node.file, line: element.line) }
                guard let actionNode = fields["action"] else { throw .missingKey("action", in: element.path, file: node.file, line: element.line) }
                let actionText = try actionNode.string()
                guard let kind = AttributesProcessor.Action.Kind(rawValue: actionText) else {
                    throw .unknownComponent(
                        kind: "action", id: actionText, in: actionNode.path, file: node.file, line: actionNode.line,
                        known: AttributesProcessor.Action.Kind.allCases.map(\.rawValue))
                }
                var value: TelemetryAttributeValue?
                if let valueNode = fields["value"] { value = .string(try valueNode.string()) }
                if [.insert, .update, .upsert].contains(kind), value == nil {
                    throw .missingKey("value", in: element.path, file: node.file, line: element.line)
                }
                configuration.actions.append(.init(key: try key.string(), kind: kind, value: value))
            }
            return .attributes(configuration)
        case "spanmetrics":
            var configuration = SpanMetricsProcessor.Configuration.default
            let keys = try node.entries(allowing: ["histogram", "http_buckets"] + spanMetricsLimitKeys)
            try parseSpanMetricsLimits(keys, into: &configuration)
            if let histogram = keys["histogram"] {
                let inner = try histogram.entries(allowing: ["explicit", "unit"])
                if let unit = inner["unit"], try unit.string() != "s" {
                    throw .invalidValue(at: unit.path, file: node.file, line: unit.line, reason: "only s (seconds) is supported")
                }
                if let explicit = inner["explicit"] {
                    let buckets = try explicit.entries(allowing: ["buckets"])
                    if let list = buckets["buckets"] { configuration.buckets = try parseBuckets(list) }
                }
            }
            if let list = keys["http_buckets"] { configuration.httpBuckets = try parseBuckets(list) }
            return .spanMetrics(configuration)
        case "errors":
            _ = try node.entries(allowing: [])
            return .errors
        case "health":
            var configuration = HealthBoard.Configuration.default
            let keys = try node.entries(
                allowing: [
                    "window", "degraded_error_ratio", "unhealthy_error_ratio", "degraded_latency_p99", "unhealthy_latency_p99",
                ] + healthLimitKeys)
            try parseHealthLimits(keys, into: &configuration)
            if let value = keys["window"] { configuration.window = try value.duration() }
            if let value = keys["degraded_error_ratio"] { configuration.degradedErrorRatio = try value.double(in: 0...1) }
            if let value = keys["unhealthy_error_ratio"] { configuration.unhealthyErrorRatio = try value.double(in: 0...1) }
            if let value = keys["degraded_latency_p99"] { configuration.degradedLatencyP99 = try value.duration() }
            if let value = keys["unhealthy_latency_p99"] { configuration.unhealthyLatencyP99 = try value.duration() }
            if configuration.window <= .zero {
                throw .invalidValue(at: "\(node.path).window", file: node.file, line: node.line, reason: "must be positive")
            }
            if configuration.degradedErrorRatio > configuration.unhealthyErrorRatio {
                throw .invalidValue(
                    at: "\(node.path).degraded_error_ratio", file: node.file, line: node.line,
                    reason: "must not exceed unhealthy_error_ratio")
            }
            return .health(configuration)
        default:  // circuit_breakers
            var configuration = BreakerBoard.Configuration.default
            let keys = try node.entries(allowing: ["stale_after", "expire_after", "max_breakers"])
            if let value = keys["stale_after"] { configuration.staleAfter = try value.duration() }
            if let value = keys["expire_after"] { configuration.expireAfter = try value.duration() }
            if let value = keys["max_breakers"] { configuration.maxBreakers = try value.int(in: 1...1_000_000) }
            if configuration.staleAfter <= .zero {
                throw .invalidValue(at: "\(node.path).stale_after", file: node.file, line: node.line, reason: "must be positive")
            }
            if configuration.expireAfter < configuration.staleAfter {
                throw .invalidValue(
                    at: "\(node.path).expire_after", file: node.file, line: node.line, reason: "must not be shorter than stale_after")
            }
            return .circuitBreakers(configuration)
        }
    }

    static func parseTailSampling(_ node: ConfigNode) throws(PipelineConfigurationError) -> TailSamplingProcessor.Configuration {
        var configuration = TailSamplingProcessor.Configuration.default
        let keys = try node.entries(allowing: ["decision_wait", "num_traces", "policies"] + tailSamplingLimitKeys)
        if let value = keys["decision_wait"] { configuration.decisionWait = try value.duration() }
        if let value = keys["num_traces"] { configuration.numTraces = try value.int(in: 1...10_000_000) }
        try parseTailSamplingLimits(keys, into: &configuration)
        guard let policies = keys["policies"] else { return configuration }
        configuration.policies = try policies.elements().map { element throws(PipelineConfigurationError) in
            try parsePolicy(element, file: node.file, allowAnd: true)
        }
        return configuration
    }

    static let policyTypes = ["status_code", "latency", "probabilistic", "string_attribute", "numeric_attribute", "and", "always_sample"]

    /// One entry of `policies` (or of an `and` policy's `and_sub_policy`, which may not nest).
    static func parsePolicy(_ element: ConfigNode, file: String, allowAnd: Bool) throws(PipelineConfigurationError) -> TailSamplingProcessor.Policy {
        let types = allowAnd ? policyTypes : policyTypes.filter { $0 != "and" }
        let fields = try element.entries(allowing: ["name", "type"] + types)
        guard let typeNode = fields["type"] else { throw .missingKey("type", in: element.path, file: file, line: element.line) }
        let type = try typeNode.string()
        switch type {
        case "status_code":
            guard let inner = fields["status_code"] else { return .errors }
            let list = try inner.entries(allowing: ["status_codes"])["status_codes"]?.strings() ?? ["ERROR"]
            var codes = Set<TailSamplingProcessor.StatusCode>()
            for text in list {
                guard let code = TailSamplingProcessor.StatusCode(rawValue: text.uppercased()) else {
                    throw .invalidValue(at: inner.path, file: file, line: inner.line, reason: "status code '\(text)' is not one of OK, UNSET, ERROR")
                }
                codes.insert(code)
            }
            return codes == [.error] ? .errors : .statusCodes(codes)
        case "latency":
            guard let inner = fields["latency"],
                let threshold = try inner.entries(allowing: ["threshold_ms"])["threshold_ms"]
            else { throw .missingKey("latency.threshold_ms", in: element.path, file: file, line: element.line) }
            return .latency(.milliseconds(try threshold.int(in: 0...86_400_000)))
        case "probabilistic":
            guard let inner = fields["probabilistic"],
                let percentage = try inner.entries(allowing: ["sampling_percentage", "hash_salt"])["sampling_percentage"]
            else { throw .missingKey("probabilistic.sampling_percentage", in: element.path, file: file, line: element.line) }
            return .probabilistic(try percentage.double(in: 0...100))
        case "string_attribute":
            guard let inner = fields["string_attribute"] else {
                throw .missingKey("string_attribute", in: element.path, file: file, line: element.line)
            }
            let keys = try inner.entries(allowing: ["key", "values", "invert_match"])
            guard let key = keys["key"] else { throw .missingKey("string_attribute.key", in: element.path, file: file, line: element.line) }
            guard let values = keys["values"] else {
                throw .missingKey("string_attribute.values", in: element.path, file: file, line: element.line)
            }
            return .stringAttribute(key: try key.string(), values: Set(try values.strings()), invert: try keys["invert_match"]?.bool() ?? false)
        case "numeric_attribute":
            guard let inner = fields["numeric_attribute"] else {
                throw .missingKey("numeric_attribute", in: element.path, file: file, line: element.line)
            }
            let keys = try inner.entries(allowing: ["key", "min_value", "max_value"])
            guard let key = keys["key"] else { throw .missingKey("numeric_attribute.key", in: element.path, file: file, line: element.line) }
            let low = try keys["min_value"]?.double(in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) ?? -Double.infinity
            let high = try keys["max_value"]?.double(in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) ?? Double.infinity
            guard low <= high else {
                throw .invalidValue(at: inner.path, file: file, line: inner.line, reason: "min_value is greater than max_value")
            }
            return .numericAttribute(key: try key.string(), min: low, max: high)
        case "and":
            guard let inner = fields["and"], let list = try inner.entries(allowing: ["and_sub_policy"])["and_sub_policy"] else {
                throw .missingKey("and.and_sub_policy", in: element.path, file: file, line: element.line)
            }
            let policies = try list.elements().map { sub throws(PipelineConfigurationError) in try parsePolicy(sub, file: file, allowAnd: false) }
            guard !policies.isEmpty else {
                throw .invalidValue(at: list.path, file: file, line: list.line, reason: "an and policy needs at least one sub-policy")
            }
            return .and(policies)
        case "always_sample":
            return .always
        default:
            throw .unknownComponent(kind: "policy type", id: type, in: typeNode.path, file: file, line: typeNode.line, known: types)
        }
    }

    static func parseBuckets(_ list: ConfigNode) throws(PipelineConfigurationError) -> [Double] {
        var buckets: [Double] = []
        for element in try list.elements() {
            buckets.append(try element.duration(bareNumberUnit: .seconds).seconds)
        }
        guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }) else { throw list.invalid("buckets must be ascending") }
        return buckets
    }

    static func parseExporter(
        _ id: ComponentID, _ node: ConfigNode, enabledExtensions: Set<ComponentID> = []
    ) throws(PipelineConfigurationError) -> ExporterSettings {
        switch id.type {
        case "debug":
            let keys = try node.entries(allowing: ["verbosity"])
            let verbosity = try keys["verbosity"]?.string() ?? "basic"
            guard ["basic", "normal", "detailed"].contains(verbosity) else {
                throw .unknownComponent(
                    kind: "verbosity", id: verbosity, in: "\(node.path).verbosity", file: node.file, line: keys["verbosity"]?.line,
                    known: ["basic", "normal", "detailed"])
            }
            return .debug(verbosity: verbosity)
        case "file":
            let keys = try node.entries(allowing: ["path"])
            guard let path = keys["path"] else { throw .missingKey("path", in: node.path, file: node.file, line: node.line) }
            return .file(path: try path.string())
        case "prometheus":
            let keys = try node.entries(allowing: ["endpoint"])
            return .prometheus(endpoint: try keys["endpoint"]?.endpoint() ?? Endpoint(host: "0.0.0.0", port: 9464))
        case "tracestore":
            let (configuration, storage) = try parseTraceStore(node)
            return .traceStore(configuration, storage: storage)
        case "prometheusremotewrite":
            return .prometheusRemoteWrite(try parseRemoteWriteExporter(node))
        case "otlp":
            return .otlpGRPC(try parseGRPCExporter(node, enabledExtensions: enabledExtensions))
        case "loadbalancing":
            return .loadBalancing(try parseLoadBalancing(node, enabledExtensions: enabledExtensions))
        default:  // jaeger, otlphttp
            let settings = try parseHTTPExporter(node, type: id.type, enabledExtensions: enabledExtensions)
            return id.type == "jaeger" ? .jaeger(settings) : .otlphttp(settings)
        }
    }

    /// The keys of `jaeger` and `otlphttp`. Under `loadbalancing` the resolver supplies the
    /// endpoint (`endpointFromResolver`), so none may be given.
    static func parseHTTPExporter(
        _ node: ConfigNode, type: String, enabledExtensions: Set<ComponentID>, endpointFromResolver: Bool = false
    ) throws(PipelineConfigurationError) -> HTTPExporterSettings {
        let allowed =
            (type == "otlphttp" ? ["endpoint", "encoding", "timeout", "headers"] : ["endpoint", "timeout", "headers"])
            + deliveryKeys
        let keys = try node.entries(allowing: allowed)
        var settings: HTTPExporterSettings
        if endpointFromResolver {
            if let given = keys["endpoint"] { throw given.invalid("the resolver sets each backend's endpoint") }
            settings = HTTPExporterSettings(endpoint: "")
        } else {
            guard let endpointNode = keys["endpoint"] else { throw .missingKey("endpoint", in: node.path, file: node.file, line: node.line) }
            let endpoint = try endpointNode.string()
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw endpointNode.invalid("expected an http:// or https:// URL, got '\(endpoint)'")
            }
            settings = HTTPExporterSettings(endpoint: endpoint)
        }
        if let value = keys["encoding"] {
            settings.encoding = try value.string()
            guard ["proto", "json"].contains(settings.encoding) else { throw value.invalid("expected proto or json") }
        }
        if let value = keys["timeout"] { settings.timeout = try value.duration() }
        for (name, value) in try keys["headers"]?.entries() ?? [] { settings.headers[name] = try value.string() }
        settings.delivery = try parseDelivery(keys, enabledExtensions: enabledExtensions)
        return settings
    }
}
