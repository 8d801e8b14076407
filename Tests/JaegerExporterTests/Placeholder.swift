// JaegerExporterTests: placeholder until the module lands.
