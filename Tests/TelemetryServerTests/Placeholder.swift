// TelemetryServerTests: placeholder until the module lands.
