// JaegerExporter: placeholder until the module lands.
