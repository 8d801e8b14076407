// TelemetryPipelineTests: placeholder until the module lands.
