// TelemetryTracing: placeholder until the module lands.
