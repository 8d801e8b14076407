// TelemetryServer: placeholder until the module lands.
