// TelemetryTracingTests: placeholder until the module lands.
