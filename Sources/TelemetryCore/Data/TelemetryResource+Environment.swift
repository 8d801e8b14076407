extension TelemetryResource {
    /// The SDK's name in `telemetry.sdk.name`.
    public static let sdkName = "swift-telemetry"
    /// The SDK's version in `telemetry.sdk.version`.
    public static let sdkVersion = "0.1.0"

    /// A resource for a service: `telemetry.sdk.*`, then `serviceName`/`serviceVersion`, then
    /// `OTEL_RESOURCE_ATTRIBUTES`, then `OTEL_SERVICE_NAME` (later sources win, as OpenTelemetry
    /// specifies, so operators can override what the code says).
    public init(serviceName: String?, serviceVersion: String? = nil, environment: TelemetryEnvironment? = nil) {
        var attributes = TelemetryAttributes()
        attributes["telemetry.sdk.name"] = .string(Self.sdkName)
        attributes["telemetry.sdk.language"] = "swift"
        attributes["telemetry.sdk.version"] = .string(Self.sdkVersion)
        attributes["service.name"] = .string(serviceName ?? "unknown_service:swift")
        if let serviceVersion { attributes["service.version"] = .string(serviceVersion) }
        if let environment {
            for attribute in environment.resourceAttributes { attributes[attribute.key] = attribute.value }
            if let name = environment.serviceName { attributes["service.name"] = .string(name) }
        }
        self.init(attributes: attributes)
    }
}
