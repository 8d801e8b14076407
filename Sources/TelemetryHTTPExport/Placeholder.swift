// TelemetryHTTPExport: placeholder until the module lands.
