// TelemetryMetricsTests: placeholder until the module lands.
