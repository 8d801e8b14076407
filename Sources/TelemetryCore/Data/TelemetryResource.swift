/// The entity producing telemetry: `service.name`, `service.version`, SDK and host facts.
public struct TelemetryResource: Sendable, Hashable {
    public var attributes: TelemetryAttributes

    public init(attributes: TelemetryAttributes = TelemetryAttributes()) {
        self.attributes = attributes
    }

    /// `service.name`, or OpenTelemetry's fallback `unknown_service`.
    public var serviceName: String {
        attributes["service.name"]?.stringValue ?? "unknown_service"
    }

    /// `service.version`, when set.
    public var serviceVersion: String? {
        attributes["service.version"]?.stringValue
    }
}

/// The library that created a span (OTLP's `InstrumentationScope`).
public struct TelemetryInstrumentationScope: Sendable, Hashable {
    public var name: String
    public var version: String?

    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }
}

/// The former name of ``TelemetryInstrumentationScope``.
@available(*, deprecated, renamed: "TelemetryInstrumentationScope")
public typealias InstrumentationScope = TelemetryInstrumentationScope
