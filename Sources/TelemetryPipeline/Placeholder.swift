// TelemetryPipeline: placeholder until the module lands.
