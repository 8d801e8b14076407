// TelemetryMetrics: placeholder until the module lands.
