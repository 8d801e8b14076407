// OTLPExporter: placeholder until the module lands.
