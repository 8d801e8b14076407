// TelemetryTesting: placeholder until the module lands.
