import TelemetryCore

/// The exporters' configuration error, now the SDK-wide one.
@available(*, deprecated, renamed: "ConfigurationError")
public typealias ExportConfigurationError = ConfigurationError
