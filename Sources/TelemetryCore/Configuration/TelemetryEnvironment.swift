#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tracing settings read from environment variables, validated.
///
/// Every malformed value is a ``ConfigurationError`` naming its variable rather than a silent
/// default: a typo in `TRACING_SAMPLER` should stop a deploy, not quietly sample everything.
public struct TelemetryEnvironment: Sendable, Hashable {
    /// Whether tracing is on: false when `TRACING_ENABLED` is false or `OTEL_SDK_DISABLED` is true.
    public var isEnabled: Bool
    /// The sampler from `OTEL_TRACES_SAMPLER` (+ `OTEL_TRACES_SAMPLER_ARG`), else from
    /// `TRACING_SAMPLER` as a parent-based ratio; `nil` when neither is set.
    public var sampler: SamplerConfiguration?
    /// `OTEL_SERVICE_NAME`.
    public var serviceName: String?
    /// `OTEL_RESOURCE_ATTRIBUTES`, in order.
    public var resourceAttributes: TelemetryAttributes
    /// `TRACING_ENDPOINT`: where the exporter sends spans, when set.
    public var tracingEndpoint: String?
    /// `OTEL_BSP_MAX_QUEUE_SIZE`.
    public var batchMaxQueueSize: Int?
    /// `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`.
    public var batchMaxExportBatchSize: Int?
    /// `OTEL_BSP_SCHEDULE_DELAY`, given in milliseconds.
    public var batchScheduleDelay: Duration?
    /// `OTEL_BSP_EXPORT_TIMEOUT`, given in milliseconds.
    public var batchExportTimeout: Duration?

    /// Reads and validates the variables through `lookup`.
    public init(lookup: (String) -> String?) throws(ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let raw = lookup(name) else { return nil }
            let trimmed = raw.trimmingSpaces()
            return trimmed.isEmpty ? nil : trimmed
        }

        let tracingEnabled = try value("TRACING_ENABLED").map { raw throws(ConfigurationError) in
            try Self.parseBool(raw, variable: "TRACING_ENABLED")
        }
        let sdkDisabled = try value("OTEL_SDK_DISABLED").map { raw throws(ConfigurationError) in
            try Self.parseBool(raw, variable: "OTEL_SDK_DISABLED")
        }
        isEnabled = (tracingEnabled ?? true) && !(sdkDisabled ?? false)

        let seedRatio = try value("TRACING_SAMPLER").map { raw throws(ConfigurationError) in
            try Self.parseRatio(raw, variable: "TRACING_SAMPLER")
        }
        if let name = value("OTEL_TRACES_SAMPLER") {
            sampler = try Self.parseSampler(name, argument: value("OTEL_TRACES_SAMPLER_ARG"))
        } else if let seedRatio {
            sampler = .parentBasedTraceIDRatio(seedRatio)
        } else {
            sampler = nil
        }

        serviceName = value("OTEL_SERVICE_NAME")
        resourceAttributes =
            try value("OTEL_RESOURCE_ATTRIBUTES").map { raw throws(ConfigurationError) in
                try Self.parseResourceAttributes(raw)
            } ?? TelemetryAttributes()
        tracingEndpoint = value("TRACING_ENDPOINT")

        batchMaxQueueSize = try value("OTEL_BSP_MAX_QUEUE_SIZE").map { raw throws(ConfigurationError) in
            try Self.parseCount(raw, variable: "OTEL_BSP_MAX_QUEUE_SIZE")
        }
        batchMaxExportBatchSize = try value("OTEL_BSP_MAX_EXPORT_BATCH_SIZE").map { raw throws(ConfigurationError) in
            try Self.parseCount(raw, variable: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE")
        }
        batchScheduleDelay = try value("OTEL_BSP_SCHEDULE_DELAY").map { raw throws(ConfigurationError) in
            try Self.parseMilliseconds(raw, variable: "OTEL_BSP_SCHEDULE_DELAY", minimum: .zero)
        }
        batchExportTimeout = try value("OTEL_BSP_EXPORT_TIMEOUT").map { raw throws(ConfigurationError) in
            try Self.parseMilliseconds(raw, variable: "OTEL_BSP_EXPORT_TIMEOUT", minimum: .nanoseconds(1))
        }
        if let batch = batchMaxExportBatchSize, batch > (batchMaxQueueSize ?? 2048) {
            throw .inconsistent(
                "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", String(batch),
                expected: "at most OTEL_BSP_MAX_QUEUE_SIZE (\(batchMaxQueueSize ?? 2048))"
            )
        }
    }

    /// Reads and validates the current process's environment.
    public static func process() throws(ConfigurationError) -> TelemetryEnvironment {
        try TelemetryEnvironment { name in getenv(name).map { String(cString: $0) } }
    }

    /// Reads and validates a dictionary of variables (for tests and embedding).
    public init(_ variables: [String: String]) throws(ConfigurationError) {
        try self.init { variables[$0] }
    }

    // MARK: Parsing

    static func parseBool(_ raw: String, variable: String) throws(ConfigurationError) -> Bool {
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .malformed(variable, raw, expected: "true or false")
        }
    }

    static func parseRatio(_ raw: String, variable: String) throws(ConfigurationError) -> Double {
        do {
            return try ConfigurationValue.number(raw, in: 0...1)
        } catch {
            let expected = "a number between 0 and 1, such as 0.1"
            throw error.isMalformed || error.reason == .notFinite
                ? .malformed(variable, raw, expected: expected) : .outOfRange(variable, raw, expected: expected)
        }
    }

    static func parseSampler(_ name: String, argument: String?) throws(ConfigurationError) -> SamplerConfiguration {
        func ratio() throws(ConfigurationError) -> Double {
            guard let argument else { return 1 }
            return try parseRatio(argument, variable: "OTEL_TRACES_SAMPLER_ARG")
        }
        switch name.lowercased() {
        case "always_on": return .alwaysOn
        case "always_off": return .alwaysOff
        case "traceidratio": return .traceIDRatio(try ratio())
        case "parentbased_always_on": return .parentBasedAlwaysOn
        case "parentbased_always_off": return .parentBasedAlwaysOff
        case "parentbased_traceidratio": return .parentBasedTraceIDRatio(try ratio())
        default:
            throw .unsupported(
                "OTEL_TRACES_SAMPLER", name,
                expected: "always_on, always_off, traceidratio, parentbased_always_on, "
                    + "parentbased_always_off or parentbased_traceidratio"
            )
        }
    }

    /// The most spans a batch queue may hold: the queue allocates its slots up front, so a
    /// mistyped `OTEL_BSP_MAX_QUEUE_SIZE` must not ask for more memory than exists.
    static let maximumCount = 10_000_000

    static func parseCount(_ raw: String, variable: String) throws(ConfigurationError) -> Int {
        do {
            return try ConfigurationValue.integer(raw, in: 1...maximumCount)
        } catch {
            throw .invalid(variable, raw, error)
        }
    }

    /// Milliseconds, as the OpenTelemetry specification writes these variables (`5000`); a unit
    /// (`5s`) is read too.
    static func parseMilliseconds(_ raw: String, variable: String, minimum: Duration) throws(ConfigurationError) -> Duration {
        do {
            return try ConfigurationValue.duration(raw, bareNumberUnit: .milliseconds, minimum: minimum)
        } catch {
            throw .invalid(variable, raw, error)
        }
    }

    /// `key1=value1,key2=value2`, values percent-encoded (W3C baggage octets).
    static func parseResourceAttributes(_ raw: String) throws(ConfigurationError) -> TelemetryAttributes {
        var attributes = TelemetryAttributes()
        for member in raw.split(separator: ",") {
            let pair = member.trimmingSpaces()
            guard let equals = pair.firstIndex(of: "=") else {
                throw .malformed("OTEL_RESOURCE_ATTRIBUTES", raw, expected: "key=value pairs separated by commas")
            }
            let key = pair[..<equals].trimmingSpaces()
            guard !key.isEmpty, let value = PercentEncoding.decode(pair[pair.index(after: equals)...].trimmingSpaces()) else {
                throw .malformed("OTEL_RESOURCE_ATTRIBUTES", raw, expected: "key=value pairs separated by commas")
            }
            attributes[key] = .string(value)
        }
        return attributes
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space: spaces, tabs, and the line ends an
    /// environment file written on another system may leave (`\r`, `\n`).
    package func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
